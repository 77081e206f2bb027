from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/invoice", methods=["POST"])
def invoice():
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(request.data, parser)  # safe: CWE-611
    return {"total": root.findtext("total")}
