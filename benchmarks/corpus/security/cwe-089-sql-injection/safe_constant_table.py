import sqlite3
from flask import Flask

app = Flask(__name__)
TABLE = "products"
COLUMNS = "name, price"


@app.route("/products")
def products():
    db = sqlite3.connect("shop.db")
    rows = db.execute(f"SELECT {COLUMNS} FROM {TABLE} ORDER BY name").fetchall()  # safe: CWE-89
    return {"products": rows}
