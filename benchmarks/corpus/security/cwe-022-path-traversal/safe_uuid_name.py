import os
import uuid
from flask import Flask, request

app = Flask(__name__)
UPLOADS = "/srv/app/uploads"


@app.route("/upload", methods=["POST"])
def upload():
    uploaded = request.files["document"]
    stored = f"{uuid.uuid4().hex}.bin"
    uploaded.save(os.path.join(UPLOADS, stored))  # safe: CWE-22
    return {"id": stored, "original": uploaded.filename}
