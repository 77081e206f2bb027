import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/page")
def page():
    number = int(request.args.get("page", "1"))
    db = sqlite3.connect("app.db")
    rows = db.execute(f"SELECT * FROM posts LIMIT 20 OFFSET {number * 20}").fetchall()  # safe: CWE-89
    return {"posts": rows}
