import sqlite3
from flask import Flask, request

app = Flask(__name__)


def normalise(value):
    return value.strip().lower()


@app.route("/tags")
def tags():
    tag = normalise(request.args.get("tag", ""))
    rows = sqlite3.connect("app.db").execute("SELECT * FROM posts WHERE tag = '" + tag + "'").fetchall()  # expect: CWE-89
    return {"rows": rows}
