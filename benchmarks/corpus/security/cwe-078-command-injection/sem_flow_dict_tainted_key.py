from flask import Flask, request

app = Flask(__name__)


import os


@app.route("/archive")
def archive():
    parts = {"tool": "tar", "target": request.args.get("dir", ".")}
    os.system("tar czf /tmp/a.tgz " + parts["target"])  # expect: CWE-78
    return {"ok": True}
