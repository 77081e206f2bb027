import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/products")
def products():
    sort = request.args.get("sort", "name")
    db = sqlite3.connect("shop.db")
    rows = db.execute("SELECT name, price FROM products ORDER BY {}".format(sort)).fetchall()  # expect: CWE-89
    return {"products": rows}
