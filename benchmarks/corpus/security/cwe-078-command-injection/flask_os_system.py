import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    code = os.system("ping -c 1 " + host)  # expect: CWE-78
    return {"reachable": code == 0}
