"""Tests de sécurité : les routes répondent, mais aucune attaque n'est vérifiée."""


def test_prets_d_un_autre(client, connecter):
    connecter(client, 1)
    assert client.get("/adherents/2/prets").status_code < 500


def test_changer_un_role(client, connecter):
    jeton = connecter(client, 4).get_json()["csrf_token"]
    assert client.post("/adherents/2/role", data={"role": "bibliothecaire", "csrf_token": jeton}).status_code < 500
