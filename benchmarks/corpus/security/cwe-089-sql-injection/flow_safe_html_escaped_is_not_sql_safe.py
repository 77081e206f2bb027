import html
import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/note", methods=["POST"])
def note():
    text = html.escape(request.form["text"])
    sqlite3.connect("app.db").execute("INSERT INTO notes (text) VALUES (?)", (text,))  # safe: CWE-89
    return {"ok": True}
