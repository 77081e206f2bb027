import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)
CATALOG = ET.parse("catalog.xml").getroot()


@app.route("/books")
def books():
    author = request.args.get("author", "")
    found = CATALOG.findall(f".//book[@author='{author}']")  # expect: CWE-643
    return {"titles": [b.findtext("title") for b in found]}
