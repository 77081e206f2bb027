import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/users")
def search_users():
    name = request.args.get("name", "")
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("SELECT id, email FROM users WHERE name = ?", (name,))  # safe: CWE-89
    return {"users": cur.fetchall()}
