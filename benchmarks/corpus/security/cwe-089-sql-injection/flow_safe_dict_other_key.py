import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/map")
def mapping():
    data = {"fixed": "safe", "input": request.form.get("v", "")}
    value = data["fixed"]
    return {"rows": sqlite3.connect("app.db").execute("SELECT * FROM t WHERE c = '" + value + "'").fetchall()}  # safe: CWE-89
