from flask import Flask, request

app = Flask(__name__)


import re
import subprocess


@app.route("/lookup")
def lookup():
    domain = request.args.get("d", "")
    if re.search(r"[a-z0-9.-]+", domain) is None:
        return {"error": "bad domain"}, 400
    return {"out": subprocess.getoutput("host " + domain)}  # expect: CWE-78
