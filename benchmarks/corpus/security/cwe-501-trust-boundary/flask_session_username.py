from flask import Flask, request, session

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["username"]  # expect: CWE-501
    return {"ok": True}
