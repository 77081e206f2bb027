from defusedxml.ElementTree import fromstring
from flask import Flask, request

app = Flask(__name__)


@app.route("/invoice", methods=["POST"])
def invoice():
    root = fromstring(request.data)  # safe: CWE-611
    return {"total": root.findtext("total")}
