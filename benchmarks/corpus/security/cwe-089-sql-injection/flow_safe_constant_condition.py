import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/cond")
def cond():
    param = request.args.get("v", "")
    num = 86
    value = "safe" if (7 * 42) - num > 200 else param
    return {"rows": sqlite3.connect("app.db").execute(f"SELECT * FROM t WHERE c = '{value}'").fetchall()}  # safe: CWE-89
