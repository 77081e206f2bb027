import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    code = subprocess.run(["ping", "-c", "1", host], check=False).returncode  # safe: CWE-78
    return {"reachable": code == 0}
