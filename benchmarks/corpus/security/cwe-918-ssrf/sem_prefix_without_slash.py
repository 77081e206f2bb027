from flask import Flask, request

app = Flask(__name__)


import requests


@app.route("/avatar")
def avatar():
    url = request.args["src"]
    if not url.startswith("https://images.example.org"):
        return {"error": "not an image of ours"}, 400
    return {"size": len(requests.get(url, timeout=5).content)}  # expect: CWE-918
