import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/config", methods=["POST"])
def upload_config():
    config = yaml.safe_load(request.data)  # safe: CWE-502
    return {"sections": list(config)}
