from flask import Flask, request

app = Flask(__name__)


import os


def as_pid(value):
    return int(value)


@app.route("/stop")
def stop():
    os.system("kill -TERM " + str(as_pid(request.args["pid"])))  # safe: CWE-78
    return {"ok": True}
