from flask import Flask, request
from jinja2 import Template

app = Flask(__name__)


@app.route("/preview", methods=["POST"])
def preview():
    template = Template(request.form["template"])  # expect: CWE-94
    return template.render(user="demo")
