import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/switch")
def switch():
    param = request.args.get("v", "")
    choice = "ABC"[1]
    if choice == "A":
        target = "alpha"
    elif choice == "C":
        target = param
    else:
        target = "beta"
    os.system("echo " + target)  # safe: CWE-78
    return {"ok": True}
