import httpx

client = httpx.Client(base_url="https://partner.example.fr", verify=False)  # expect: CWE-295


def orders():
    return client.get("/orders").json()
