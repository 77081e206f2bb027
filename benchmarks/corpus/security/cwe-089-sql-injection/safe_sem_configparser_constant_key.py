from flask import Flask, request

app = Flask(__name__)


import configparser
import sqlite3


@app.route("/table")
def table():
    conf = configparser.ConfigParser()
    conf.add_section("db")
    conf.set("db", "table", "articles")
    conf.set("db", "filter", request.args.get("f", ""))
    name = conf["db"]["table"]
    return {"rows": sqlite3.connect("app.db").execute(f"SELECT id FROM {name}").fetchall()}  # safe: CWE-89
