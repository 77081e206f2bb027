import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/grep")
def grep():
    pattern = request.args.get("q", "").replace("*", "")[:50]
    return {"out": os.popen("grep -r " + pattern + " /srv/docs").read()}  # expect: CWE-78
