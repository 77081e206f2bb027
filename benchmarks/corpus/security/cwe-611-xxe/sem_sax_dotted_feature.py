import io
import xml.sax

from flask import Flask, request

app = Flask(__name__)


class Titles(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.titles = []


@app.route("/import", methods=["POST"])
def import_feed():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    handler = Titles()
    parser.setContentHandler(handler)
    parser.parse(io.StringIO(request.get_data(as_text=True)))  # expect: CWE-611
    return {"titles": handler.titles}
