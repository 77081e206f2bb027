import requests
from flask import Flask, abort, request

app = Flask(__name__)
FEEDS = {"https://www.example.fr/rss.xml", "https://blog.example.fr/feed"}


@app.route("/feed")
def feed():
    url = request.args["url"]
    if url not in FEEDS:
        abort(400)
    return {"length": len(requests.get(url, timeout=5).content)}  # safe: CWE-918
