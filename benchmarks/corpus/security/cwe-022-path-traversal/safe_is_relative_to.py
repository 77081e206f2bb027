from pathlib import Path

from flask import Flask, abort, request

app = Flask(__name__)
BASE = Path("/srv/app/notes").resolve()


@app.route("/note")
def note():
    target = (BASE / request.args["title"]).resolve()
    if not target.is_relative_to(BASE):
        abort(404)
    return {"text": target.read_text(encoding="utf-8")}  # safe: CWE-22
