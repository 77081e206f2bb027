from flask import Flask, request

app = Flask(__name__)


from flask import make_response


@app.route("/echo")
def echo():
    response = make_response("<p>You sent: " + request.args.get("m", "") + "</p>")  # expect: CWE-79
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response
