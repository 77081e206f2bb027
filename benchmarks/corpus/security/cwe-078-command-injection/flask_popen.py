import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/logs")
def logs():
    service = request.args.get("service")
    output = os.popen("journalctl -u %s -n 50" % service).read()  # expect: CWE-78
    return {"log": output}
