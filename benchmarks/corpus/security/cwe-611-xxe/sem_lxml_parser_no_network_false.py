from flask import Flask, request

app = Flask(__name__)


from lxml import etree


@app.route("/svg", methods=["POST"])
def svg_size():
    parser = etree.XMLParser(no_network=False)
    root = etree.fromstring(request.files["image"].read(), parser=parser)  # expect: CWE-611
    return {"width": root.get("width")}
