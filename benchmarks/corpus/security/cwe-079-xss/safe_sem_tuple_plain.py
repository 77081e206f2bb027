from flask import Flask, request

app = Flask(__name__)


@app.route("/echo")
def echo():
    return "You sent: " + request.args.get("m", ""), 200, {"Content-Type": "text/plain"}  # safe: CWE-79
