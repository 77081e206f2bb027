from flask import Flask, request

app = Flask(__name__)


import random


@app.route("/login", methods=["POST"])
def login():
    value = random.random()
    remember_key = str(value)[2:]  # expect: CWE-330
    response = app.make_response({"ok": True})
    response.set_cookie("remember", remember_key, secure=True, httponly=True, samesite="Lax")
    return response
