from flask import Flask, request

app = Flask(__name__)


import subprocess


def run(command):
    return subprocess.call(command, shell=True)


@app.route("/disk")
def disk():
    run("du -sh " + request.args.get("dir", "."))  # expect: CWE-78
    return {"ok": True}
