from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ACCOUNTS = etree.parse("accounts.xml")


@app.route("/login", methods=["POST"])
def login():
    user, pw = request.form["user"], request.form["password"]
    expression = f"//account[login/text()='{user}' and password/text()='{pw}']"
    return {"ok": bool(ACCOUNTS.xpath(expression))}  # expect: CWE-643
