import codecs
from flask import Flask, request

app = Flask(__name__)


@app.route("/read")
def read():
    name = request.values.get("name", "")
    with codecs.open("/srv/texts/" + name, encoding="utf-8") as handle:  # expect: CWE-22
        return {"text": handle.read()}
