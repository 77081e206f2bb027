import os
from flask import Flask, request

app = Flask(__name__)
REPORTS = "/srv/app/reports"


@app.route("/report")
def report():
    name = request.args["name"]
    with open(os.path.join(REPORTS, name)) as handle:  # expect: CWE-22
        return {"content": handle.read()}
