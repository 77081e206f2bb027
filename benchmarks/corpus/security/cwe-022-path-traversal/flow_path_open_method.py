import pathlib
from flask import Flask, request

app = Flask(__name__)


@app.route("/read")
def read():
    target = pathlib.Path("/srv/texts") / request.args["name"]
    with target.open() as handle:  # expect: CWE-22
        return {"text": handle.read()}
