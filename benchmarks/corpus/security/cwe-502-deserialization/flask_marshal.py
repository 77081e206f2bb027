import marshal

from flask import Flask, request

app = Flask(__name__)


@app.route("/code", methods=["POST"])
def load_code():
    code = marshal.loads(request.files["blob"].read())  # expect: CWE-502
    return {"name": code.co_name}
