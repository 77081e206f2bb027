from flask import Flask, request

app = Flask(__name__)


import os

BASE = os.path.realpath("/srv/files")


@app.route("/read")
def read():
    path = os.path.realpath(os.path.join(BASE, request.args["name"]))
    if os.path.commonpath([BASE, path]) != BASE:
        return {"error": "forbidden"}, 403
    with open(path, encoding="utf-8") as handle:  # safe: CWE-22
        return {"text": handle.read()}
