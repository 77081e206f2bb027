from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
BASE = Path("/srv/app/notes")


@app.route("/note")
def note():
    title = request.args["title"]
    return {"text": (BASE / title).read_text(encoding="utf-8")}  # expect: CWE-22
