import requests


def fetch_rates():
    return requests.get("https://api.bank.example.fr/rates", timeout=5).json()  # safe: CWE-295
