import requests

API_KEY = "<your-api-key>"  # safe: CWE-798


def forecast(city):
    return requests.get("https://api.meteo.example.fr/forecast", params={"city": city, "key": API_KEY}, timeout=5)
