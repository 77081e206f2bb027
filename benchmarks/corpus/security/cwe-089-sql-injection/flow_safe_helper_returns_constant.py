import sqlite3
from flask import Flask, request

app = Flask(__name__)


def default_tag(value):
    return "news"


@app.route("/tags")
def tags():
    tag = default_tag(request.args.get("tag", ""))
    rows = sqlite3.connect("app.db").execute("SELECT * FROM posts WHERE tag = '" + tag + "'").fetchall()  # safe: CWE-89
    return {"rows": rows}
