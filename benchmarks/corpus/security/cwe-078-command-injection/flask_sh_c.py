import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/thumbnail", methods=["POST"])
def thumbnail():
    name = request.form["name"]
    subprocess.check_call(["sh", "-c", "convert uploads/" + name + " -resize 64x64 thumbs/" + name])  # expect: CWE-78
    return {"ok": True}
