from flask import Flask, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args["name"]
    nodes = USERS.xpath("//user[@name='" + name + "']/email/text()")  # expect: CWE-643
    return {"emails": [str(n) for n in nodes]}
