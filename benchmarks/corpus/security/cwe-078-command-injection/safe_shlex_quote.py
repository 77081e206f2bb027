import os
import shlex
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    code = os.system("ping -c 1 " + shlex.quote(host))  # safe: CWE-78
    return {"reachable": code == 0}
