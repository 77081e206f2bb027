from flask import Flask, request

app = Flask(__name__)


import os


@app.route("/status")
def status():
    service = request.args.get("s", "")
    mode = "short"
    match mode:
        case "long":
            command = "systemctl status " + service
        case _:
            command = "uptime"
    os.system(command)  # safe: CWE-78
    return {"ok": True}
