import secrets

from flask import Flask, make_response

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    token = secrets.token_urlsafe(32)  # safe: CWE-330
    resp = make_response({"ok": True})
    resp.set_cookie("session_token", token, secure=True, httponly=True)
    return resp
