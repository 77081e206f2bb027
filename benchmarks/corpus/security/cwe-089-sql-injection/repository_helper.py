import sqlite3

from flask import Flask, request

app = Flask(__name__)


def find_by_author(db, author):
    return db.execute(f"SELECT title FROM books WHERE author = '{author}'").fetchall()  # expect: CWE-89


@app.route("/by-author")
def by_author():
    return {"titles": find_by_author(sqlite3.connect("library.db"), request.args["author"])}
