import shlex
import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/disk")
def disk():
    path = request.args.get("path", "/")
    command = shlex.join(["du", "-sh", path])
    return {"usage": subprocess.run(command, shell=True, capture_output=True, text=True).stdout}  # safe: CWE-78
