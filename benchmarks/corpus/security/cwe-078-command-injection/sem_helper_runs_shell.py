from flask import Flask, request

app = Flask(__name__)


import subprocess


@app.route("/ping")
def ping():
    host = request.args["host"]
    subprocess.run(f"ping -c 1 {host}", shell=True, check=False)  # expect: CWE-78
    return {"ok": True}
