from flask import Flask, abort, request

app = Flask(__name__)
DOCUMENTS = {"cgu": "/srv/docs/cgu.pdf", "privacy": "/srv/docs/privacy.pdf"}


@app.route("/doc")
def doc():
    key = request.args.get("doc", "cgu")
    if key not in DOCUMENTS:
        abort(404)
    with open(DOCUMENTS[key], "rb") as handle:  # safe: CWE-22
        return handle.read()
