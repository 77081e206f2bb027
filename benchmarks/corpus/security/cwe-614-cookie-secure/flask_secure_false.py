from flask import Flask, make_response

app = Flask(__name__)


@app.route("/prefs", methods=["POST"])
def prefs():
    resp = make_response("ok")
    resp.set_cookie("auth", "token", secure=False, httponly=True, samesite="Lax")  # expect: CWE-614
    return resp
