"""Tests unitaires : ils vérifient les cas nominaux seulement."""

from mediatheque.security import Role, User


def test_hachage(hacheur):
    empreinte = hacheur.hash("un mot de passe")
    assert hacheur.verify(empreinte, "un mot de passe")


def test_personnel():
    assert User(3, Role.BIBLIOTHECAIRE).is_staff()


def test_connexion(client, connecter):
    assert connecter(client, 1).status_code == 200
