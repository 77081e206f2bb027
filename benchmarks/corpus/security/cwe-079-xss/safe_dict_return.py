from flask import Flask, request

app = Flask(__name__)


@app.route("/echo")
def echo():
    return {"message": request.args.get("message", "")}  # safe: CWE-79
