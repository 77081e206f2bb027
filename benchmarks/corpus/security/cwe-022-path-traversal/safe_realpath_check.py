import os
from flask import Flask, abort, request

app = Flask(__name__)
REPORTS = os.path.realpath("/srv/app/reports")


@app.route("/report")
def report():
    full = os.path.realpath(os.path.join(REPORTS, request.args["name"]))
    if not full.startswith(REPORTS + os.sep):
        abort(404)
    with open(full) as handle:  # safe: CWE-22
        return {"content": handle.read()}
