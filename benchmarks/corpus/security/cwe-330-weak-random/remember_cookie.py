import random

from flask import Flask, make_response

app = Flask(__name__)


@app.route("/remember", methods=["POST"])
def remember():
    resp = make_response("ok")
    resp.set_cookie("remember_me", str(random.getrandbits(64)), secure=True, httponly=True)  # expect: CWE-330
    return resp
