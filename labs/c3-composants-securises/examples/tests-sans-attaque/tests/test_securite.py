"""Tests de « sécurité » : ils vérifient que tout marche, sans jamais tenter d'attaque."""


def test_ses_prets_accessibles(client, connecter):
    connecter(client, 1)
    assert client.get("/adherents/1/prets").status_code == 200


def test_administrateur_change_les_roles(client, connecter):
    jeton = connecter(client, 4).get_json()["csrf_token"]
    assert client.post("/adherents/2/role", data={"role": "bibliothecaire", "csrf_token": jeton}).status_code == 204
