from flask import Flask, request

app = Flask(__name__)


import sqlite3


@app.route("/find")
def find():
    name = request.args.get("n", "")
    value = "anonymous" if len(name) > 64 else name
    return {"rows": sqlite3.connect("app.db").execute(f"SELECT * FROM users WHERE name = '{value}'").fetchall()}  # expect: CWE-89
