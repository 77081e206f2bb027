from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ACCOUNTS = etree.parse("accounts.xml")


@app.route("/login", methods=["POST"])
def login():
    expression = "//account[login/text()=$user and password/text()=$pw]"
    found = ACCOUNTS.xpath(expression, user=request.form["user"], pw=request.form["password"])  # safe: CWE-643
    return {"ok": bool(found)}
