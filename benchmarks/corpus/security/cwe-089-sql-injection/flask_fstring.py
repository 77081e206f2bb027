import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/users")
def search_users():
    name = request.args.get("name", "")
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT id, email FROM users WHERE name = '{name}'")  # expect: CWE-89
    return {"users": cur.fetchall()}
