from flask import Flask, request

app = Flask(__name__)


import html


def clean(value):
    return html.escape(value, quote=True)


@app.route("/greet")
def greet():
    return "<p>Hello " + clean(request.args.get("name", "")) + "</p>"  # safe: CWE-79
