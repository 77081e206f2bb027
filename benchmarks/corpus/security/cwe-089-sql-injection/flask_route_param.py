import sqlite3
from flask import Flask

app = Flask(__name__)


@app.route("/books/<isbn>")
def book(isbn):
    db = sqlite3.connect("library.db")
    row = db.execute("SELECT title FROM books WHERE isbn = '" + isbn + "'").fetchone()  # expect: CWE-89
    return {"title": row[0] if row else None}
