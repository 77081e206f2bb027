import requests


def fetch_rates():
    return requests.get("https://api.bank.example.fr/rates", verify=False, timeout=5).json()  # expect: CWE-295
