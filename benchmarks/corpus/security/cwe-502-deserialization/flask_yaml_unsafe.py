import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/import", methods=["POST"])
def import_yaml():
    data = yaml.unsafe_load(request.files["file"].read())  # expect: CWE-502
    return {"count": len(data)}
