from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    resp = make_response("<b>%s</b>" % request.args["who"])  # expect: CWE-79
    resp.headers["Cache-Control"] = "no-store"
    return resp
