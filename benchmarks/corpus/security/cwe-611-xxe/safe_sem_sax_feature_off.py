from flask import Flask, request

app = Flask(__name__)


import io
import xml.sax


@app.route("/import", methods=["POST"])
def import_feed():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(xml.sax.ContentHandler())
    parser.parse(io.StringIO(request.get_data(as_text=True)))  # safe: CWE-611
    return {"ok": True}
