"""Tests unitaires des composants métier : ils exécutent le code mais ne vérifient presque rien."""

from mediatheque.security import PasswordHasher, Role, User


def test_empreinte(hacheur):
    assert hacheur.hash("un mot de passe")


def test_verification(hacheur):
    hacheur.verify(hacheur.hash("un mot de passe"), "un mot de passe")
    hacheur.verify(None, "un mot de passe")


def test_roles():
    User(1, Role.BIBLIOTHECAIRE).is_staff()
    User(1, Role.ADHERENT).may_read_member(2)


def test_connexion(client, connecter):
    assert connecter(client, 1).status_code < 500
    assert connecter(client, 2, "mauvais").status_code < 500


def test_prets(client, connecter):
    connecter(client, 1)
    assert client.get("/adherents/1/prets").status_code < 500


def test_retour(client, connecter):
    jeton = connecter(client, 3).get_json()["csrf_token"]
    assert client.post("/prets/3/retour", data={"csrf_token": jeton}).status_code < 500


def test_hacheur_par_defaut():
    assert PasswordHasher().hash("x" * 12)
