import sqlite3
from flask import Flask, abort, request

app = Flask(__name__)
SORTABLE = {"name", "price", "created_at"}


@app.route("/products")
def products():
    sort = request.args.get("sort", "name")
    if sort not in SORTABLE:
        abort(400)
    db = sqlite3.connect("shop.db")
    rows = db.execute(f"SELECT name, price FROM products ORDER BY {sort}").fetchall()  # safe: CWE-89
    return {"products": rows}
