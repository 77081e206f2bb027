import os
from flask import Flask, abort, request

app = Flask(__name__)
BASE = "/srv/texts"


@app.route("/read")
def read():
    name = request.args["name"]
    if ".." in name or name.startswith("/"):
        abort(400)
    with open(os.path.join(BASE, name)) as handle:  # safe: CWE-22
        return {"text": handle.read()}
