from flask import Flask, request

app = Flask(__name__)


import shlex
import subprocess


@app.route("/ping")
def ping():
    host = shlex.quote(request.args["host"])
    subprocess.run(f"ping -c 1 {host}", shell=True, check=False)  # safe: CWE-78
    return {"ok": True}
