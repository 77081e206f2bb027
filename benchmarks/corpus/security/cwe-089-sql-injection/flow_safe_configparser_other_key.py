import configparser
import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/cfg")
def cfg():
    conf = configparser.ConfigParser()
    conf.add_section("s")
    conf.set("s", "a", "safe")
    conf.set("s", "b", request.args.get("v", ""))
    value = conf.get("s", "a")
    return {"rows": sqlite3.connect("app.db").execute(f"SELECT * FROM t WHERE c = '{value}'").fetchall()}  # safe: CWE-89
