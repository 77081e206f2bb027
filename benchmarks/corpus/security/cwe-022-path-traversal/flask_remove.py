import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/avatar", methods=["DELETE"])
def delete_avatar():
    os.remove("/srv/app/avatars/" + request.form["avatar"])  # expect: CWE-22
    return {"deleted": True}
