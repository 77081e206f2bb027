import xml.sax

from flask import Flask, request

app = Flask(__name__)


class Counter(xml.sax.ContentHandler):
    count = 0

    def startElement(self, name, attrs):
        self.count += 1


@app.route("/count", methods=["POST"])
def count():
    handler = Counter()
    xml.sax.parseString(request.get_data(), handler)  # safe: CWE-611
    return {"elements": handler.count}
