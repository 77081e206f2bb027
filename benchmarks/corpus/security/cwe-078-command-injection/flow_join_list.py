import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/convert", methods=["POST"])
def convert():
    parts = ["convert", request.form["source"], "out.png"]
    subprocess.run(" ".join(parts), shell=True, check=True)  # expect: CWE-78
    return {"ok": True}
