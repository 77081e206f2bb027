import json

from flask import Flask, request

app = Flask(__name__)


@app.route("/run", methods=["POST"])
def run_snippet():
    data = json.loads(request.form["code"])  # safe: CWE-94
    return {"keys": sorted(data)}
