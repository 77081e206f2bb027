from flask import Flask, make_response

app = Flask(__name__)
COOKIE_OPTIONS = {"secure": True, "httponly": True, "samesite": "Lax"}


@app.route("/prefs", methods=["POST"])
def prefs():
    resp = make_response("ok")
    resp.set_cookie("theme", "dark", **COOKIE_OPTIONS)  # safe: CWE-614
    return resp
