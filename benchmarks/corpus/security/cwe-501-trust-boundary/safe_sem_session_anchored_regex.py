from flask import Flask, request

app = Flask(__name__)


import re

from flask import abort, session


@app.route("/nick", methods=["POST"])
def nick():
    nickname = request.form.get("nick", "")
    if not re.match(r"^[A-Za-z0-9_]{3,20}$", nickname):
        abort(400)
    session["nick"] = nickname  # safe: CWE-501
    return {"ok": True}
