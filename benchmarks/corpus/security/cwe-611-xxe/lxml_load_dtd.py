from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/feed", methods=["POST"])
def feed():
    parser = etree.XMLParser(load_dtd=True, no_network=False)
    tree = etree.parse(request.files["feed"], parser=parser)  # expect: CWE-611
    return {"items": len(tree.findall("item"))}
