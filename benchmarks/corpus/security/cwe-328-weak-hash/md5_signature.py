import hashlib

from flask import Flask, request

app = Flask(__name__)
SECRET = b"server-side-secret"


@app.route("/download-link")
def download_link():
    name = request.args["file"]
    signature = hashlib.md5(SECRET + name.encode()).hexdigest()  # expect: CWE-328
    return {"url": f"/dl/{name}?sig={signature}"}
