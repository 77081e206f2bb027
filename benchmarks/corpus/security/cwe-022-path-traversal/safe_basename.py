import os
from flask import Flask, request

app = Flask(__name__)
REPORTS = "/srv/app/reports"


@app.route("/report")
def report():
    name = os.path.basename(request.args["name"])
    with open(os.path.join(REPORTS, name)) as handle:  # safe: CWE-22
        return {"content": handle.read()}
