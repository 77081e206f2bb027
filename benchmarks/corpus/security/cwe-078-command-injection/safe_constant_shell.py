import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/uptime")
def uptime():
    app.logger.info("uptime asked by %s", request.remote_addr)
    out = subprocess.run("uptime && df -h /", shell=True, capture_output=True, text=True)  # safe: CWE-78
    return {"uptime": out.stdout}
