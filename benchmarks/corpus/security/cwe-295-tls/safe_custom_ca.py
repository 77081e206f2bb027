import requests


def fetch_internal():
    return requests.get("https://intranet.example.fr/api", verify="/etc/ssl/certs/internal-ca.pem", timeout=5)  # safe: CWE-295
