import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/disk")
def disk():
    path = request.args.get("path", "/")
    return {"usage": subprocess.getoutput("du -sh " + path)}  # expect: CWE-78
