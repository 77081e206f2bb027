from flask import Flask, request

app = Flask(__name__)


import os


@app.route("/archive")
def archive():
    parts = {"tool": "tar", "target": request.args.get("dir", ".")}
    os.system(parts["tool"] + " --version")  # safe: CWE-78
    return {"ok": True}
