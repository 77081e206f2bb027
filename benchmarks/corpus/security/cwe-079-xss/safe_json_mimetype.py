import json

from flask import Flask, Response, request

app = Flask(__name__)


@app.route("/error")
def error():
    reason = request.args.get("reason", "")
    return Response(json.dumps({"error": reason}), status=400, mimetype="application/json")  # safe: CWE-79
