from flask import Flask, request

app = Flask(__name__)


from urllib.parse import urlparse

import requests

PARTNERS = {"api.partner.example", "cdn.partner.example"}


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    parsed = urlparse(url)
    if parsed.hostname not in PARTNERS:
        return {"error": "host not allowed"}, 400
    return {"body": requests.get(url, timeout=5).text}  # safe: CWE-918
