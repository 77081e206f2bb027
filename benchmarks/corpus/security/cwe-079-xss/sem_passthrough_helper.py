from flask import Flask, request

app = Flask(__name__)


def ensure_text(value):
    return str(value).strip()


@app.route("/greet")
def greet():
    return "<p>Hello " + ensure_text(request.args.get("name", "")) + "</p>"  # expect: CWE-79
