from flask import Flask, request

app = Flask(__name__)


@app.route("/page")
def page():
    response = "<html><body>"
    response += "<p>" + request.args.get("msg", "") + "</p>"
    response += "</body></html>"
    return response  # expect: CWE-79
