import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/batch")
def batch():
    ids = request.args.getlist("id")
    db = sqlite3.connect("app.db")
    sql = "SELECT * FROM items WHERE id IN (" + ",".join(ids) + ")"
    return {"rows": db.execute(sql).fetchall()}  # expect: CWE-89
