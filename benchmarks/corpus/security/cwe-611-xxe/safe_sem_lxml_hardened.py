from flask import Flask, request

app = Flask(__name__)


from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@app.route("/svg", methods=["POST"])
def svg_size():
    root = etree.fromstring(request.files["image"].read(), parser=PARSER)  # safe: CWE-611
    return {"width": root.get("width")}
