import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/list")
def listing():
    values = ["safe", request.args.get("v", ""), "other"]
    chosen = values[1]
    return {"rows": sqlite3.connect("app.db").execute("SELECT * FROM t WHERE c = '%s'" % chosen).fetchall()}  # expect: CWE-89
