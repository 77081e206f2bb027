import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    params = {"login": request.form["user"]}
    row = sqlite3.connect("app.db").execute("SELECT id, pw_hash FROM accounts WHERE login = :login", params).fetchone()  # safe: CWE-89
    return {"found": row is not None}
