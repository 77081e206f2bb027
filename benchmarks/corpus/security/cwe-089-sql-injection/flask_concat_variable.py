import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    password = request.form["password"]
    query = "SELECT id FROM accounts WHERE login = '" + user + "' AND pw_hash = '" + password + "'"
    row = sqlite3.connect("app.db").execute(query).fetchone()  # expect: CWE-89
    return {"ok": row is not None}
