from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/comment", methods=["POST"])
def comment():
    body = Markup(f"<div class='comment'>{request.form['text']}</div>")  # expect: CWE-79
    return render_template("comment.html", body=body)
