from flask import Flask, request

app = Flask(__name__)


from flask import make_response


@app.route("/echo")
def echo():
    response = make_response("You sent: " + request.args.get("m", ""))  # safe: CWE-79
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    return response
