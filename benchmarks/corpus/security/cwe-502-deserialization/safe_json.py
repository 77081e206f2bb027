import json

from flask import Flask, request

app = Flask(__name__)


@app.route("/import", methods=["POST"])
def import_state():
    state = json.loads(request.get_data())  # safe: CWE-502
    return {"keys": sorted(state)}
