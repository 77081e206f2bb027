from flask import Flask, request

app = Flask(__name__)


import io

import defusedxml.sax


@app.route("/import", methods=["POST"])
def import_feed():
    handler = defusedxml.sax.ContentHandler()
    defusedxml.sax.parse(io.StringIO(request.get_data(as_text=True)), handler)  # safe: CWE-611
    return {"ok": True}
