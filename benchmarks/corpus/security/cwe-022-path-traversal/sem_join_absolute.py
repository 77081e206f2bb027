from flask import Flask, request

app = Flask(__name__)


import os

BASE = "/srv/files"


@app.route("/read")
def read():
    path = os.path.join(BASE, request.args["name"])
    with open(path, encoding="utf-8") as handle:  # expect: CWE-22
        return {"text": handle.read()}
