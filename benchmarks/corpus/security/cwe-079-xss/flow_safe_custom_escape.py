from flask import Flask, request

from .utils import escape_for_html

app = Flask(__name__)


@app.route("/page")
def page():
    response = "<html><body>"
    response += "<p>" + escape_for_html(request.args.get("msg", "")) + "</p>"
    return response + "</body></html>"  # safe: CWE-79
