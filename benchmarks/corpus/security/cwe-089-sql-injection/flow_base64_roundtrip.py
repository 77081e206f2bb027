import base64
import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/b64")
def b64():
    raw = request.cookies.get("pref", "")
    pref = base64.b64decode(base64.b64encode(raw.encode())).decode()
    return {"rows": sqlite3.connect("app.db").execute("SELECT * FROM prefs WHERE k = '" + pref + "'").fetchall()}  # expect: CWE-89
