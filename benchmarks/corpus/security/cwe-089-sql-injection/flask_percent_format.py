import psycopg2
from flask import Flask, request

app = Flask(__name__)
conn = psycopg2.connect("dbname=shop")


@app.route("/orders")
def orders():
    status = request.args["status"]
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM orders WHERE status = '%s'" % status)  # expect: CWE-89
        return {"orders": cur.fetchall()}
