import sqlite3
from flask import Flask, request

app = Flask(__name__)


class Filter:
    pass


@app.route("/obj")
def obj():
    f = Filter()
    f.city = request.args.get("city", "")
    return {"rows": sqlite3.connect("app.db").execute("SELECT * FROM shops WHERE city = '%s'" % f.city).fetchall()}  # expect: CWE-89
