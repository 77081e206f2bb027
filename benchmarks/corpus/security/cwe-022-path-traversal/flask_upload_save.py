import os
from flask import Flask, request

app = Flask(__name__)
UPLOADS = "/srv/app/uploads"


@app.route("/upload", methods=["POST"])
def upload():
    uploaded = request.files["document"]
    uploaded.save(os.path.join(UPLOADS, uploaded.filename))  # expect: CWE-22
    return {"saved": True}
