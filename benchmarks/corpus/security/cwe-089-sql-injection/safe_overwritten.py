import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/report")
def report():
    period = request.args.get("period", "month")
    app.logger.info("report requested for %s", period)
    period = "month"
    db = sqlite3.connect("app.db")
    return {"rows": db.execute(f"SELECT * FROM sales_by_{period}").fetchall()}  # safe: CWE-89
