import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/convert", methods=["POST"])
def convert():
    source = request.form["source"]
    app.logger.info("conversion of %s requested", source)
    source = "default.jpg"
    subprocess.run("convert " + source + " out.png", shell=True, check=True)  # safe: CWE-78
    return {"ok": True}
