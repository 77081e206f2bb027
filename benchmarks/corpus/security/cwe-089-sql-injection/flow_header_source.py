import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/audit")
def audit():
    agent = request.headers.get("User-Agent", "")
    sqlite3.connect("app.db").execute(f"INSERT INTO visits (agent) VALUES ('{agent}')")  # expect: CWE-89
    return {"ok": True}
