from flask import Flask, abort, request, session

from .auth import check_password

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = check_password(request.form["username"], request.form["password"])
    if user is None:
        abort(401)
    session["user_id"] = user.id  # safe: CWE-501
    return {"ok": True}
