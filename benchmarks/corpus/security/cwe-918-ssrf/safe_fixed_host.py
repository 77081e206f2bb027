import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/weather")
def weather():
    city = request.args["city"]
    page = requests.get("https://api.meteo.example.fr/v1/cities/" + city, timeout=5)  # safe: CWE-918
    return page.json()
