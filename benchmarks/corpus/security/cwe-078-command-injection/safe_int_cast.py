import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/wait")
def wait():
    seconds = int(request.args.get("s", "1"))
    os.system(f"sleep {seconds}")  # safe: CWE-78
    return {"waited": seconds}
