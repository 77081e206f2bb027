import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/batch")
def batch():
    ids = request.args.getlist("id")
    marks = ",".join("?" * len(ids))
    db = sqlite3.connect("app.db")
    return {"rows": db.execute(f"SELECT * FROM items WHERE id IN ({marks})", ids).fetchall()}  # safe: CWE-89
