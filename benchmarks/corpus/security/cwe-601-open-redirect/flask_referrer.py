from flask import Flask, redirect, request, session

app = Flask(__name__)


@app.route("/lang/<code>")
def change_language(code):
    session["lang"] = "fr" if code == "fr" else "en"
    return redirect(request.referrer or "/")  # expect: CWE-601
