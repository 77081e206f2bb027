from flask import Flask, request

app = Flask(__name__)


import html


@app.route("/hello")
def hello():
    name = html.escape(request.args.get("name", ""))
    return "<h1>Hello " + name + "</h1>"  # safe: CWE-79
