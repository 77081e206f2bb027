import random
import string

from flask import Flask, make_response

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    token = "".join(random.choice(string.ascii_letters) for _ in range(32))  # expect: CWE-330
    resp = make_response({"ok": True})
    resp.set_cookie("session_token", token, secure=True, httponly=True)
    return resp
