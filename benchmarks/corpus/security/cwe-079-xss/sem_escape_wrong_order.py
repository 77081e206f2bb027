from flask import Flask, request

app = Flask(__name__)


import html


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    page = "<h1>Hello " + name + "</h1>"  # expect: CWE-79
    html.escape(page)
    return page
