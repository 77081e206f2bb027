from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/invoice", methods=["POST"])
def invoice():
    parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(request.data, parser)  # expect: CWE-611
    return {"total": root.findtext("total")}
