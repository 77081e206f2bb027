"""Tests cachés : fonctionnement (connexion, limiteur, consultation, retour, rôles)."""

from mediatheque.database import Database
from mediatheque.security import Role, User
from mediatheque.services.loans import LoanAccessService


def test_connexion_reussie(client, connecter):
    reponse = connecter(client, 3)
    assert reponse.status_code == 200 and reponse.get_json()["role"] == "bibliothecaire"


def test_connexion_refusee(client, connecter):
    assert connecter(client, 1, "pas le bon").status_code == 401


def test_limiteur(client, connecter):
    for _ in range(5):
        connecter(client, 1, "pas le bon")
    assert connecter(client, 1).status_code == 401


def test_limiteur_remis_a_zero(client, connecter):
    for _ in range(3):
        connecter(client, 2, "pas le bon")
    assert connecter(client, 2).status_code == 200
    for _ in range(3):
        connecter(client, 2, "pas le bon")
    assert connecter(client, 2).status_code == 200


def test_ses_prets(client, connecter):
    connecter(client, 1)
    assert [p["id"] for p in client.get("/adherents/1/prets").get_json()] == [1, 2]


def test_personnel_lit_les_prets(client, connecter):
    connecter(client, 4)
    assert [p["id"] for p in client.get("/adherents/2/prets").get_json()] == [3]


def test_service_prets_personnel(base):
    service = LoanAccessService(Database(base))
    assert len(service.loans_of(User(3, Role.BIBLIOTHECAIRE), 1)) == 2


def test_retour(client, connecter):
    jeton = connecter(client, 3).get_json()["csrf_token"]
    assert client.post("/prets/1/retour", data={"csrf_token": jeton}).status_code == 204
    connecter(client, 1)
    assert client.get("/adherents/1/prets").get_json()[0]["rendu_le"] is not None


def test_administrateur_change_un_role(client, connecter):
    jeton = connecter(client, 4).get_json()["csrf_token"]
    assert client.post("/adherents/2/role", data={"role": "bibliothecaire", "csrf_token": jeton}).status_code == 204
    assert connecter(client, 2).get_json()["role"] == "bibliothecaire"


def test_non_connecte(client):
    assert client.get("/adherents/1/prets").status_code == 401
