import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/dns")
def dns():
    domain = request.args["domain"]
    out = subprocess.run(f"nslookup {domain}", shell=True, capture_output=True, text=True)  # expect: CWE-78
    return {"output": out.stdout}
