from flask import Flask, request

app = Flask(__name__)


@app.route("/api/greet", methods=["POST"])
def greet():
    payload = request.get_json(silent=True) or {}
    return "<span>" + str(payload.get("name", "")) + "</span>"  # expect: CWE-79
