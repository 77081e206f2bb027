import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.route("/feed", methods=["POST"])
def feed():
    tree = ET.parse(request.files["feed"])  # safe: CWE-611
    return {"items": len(tree.findall("item"))}
