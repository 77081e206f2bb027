from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/go", methods=["POST"])
def go():
    return redirect(request.form["url"], code=302)  # expect: CWE-601
