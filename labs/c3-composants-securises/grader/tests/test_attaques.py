"""Tests cachés : attaques (IDOR, élévation de privilèges, CSRF, fixation de session)."""

import pytest

from mediatheque.database import Database
from mediatheque.errors import NotFoundError
from mediatheque.security import AccessDeniedError, Role, User
from mediatheque.services.accounts import AccountService
from mediatheque.services.loans import LoanAccessService


def test_idor_route(client, connecter):
    connecter(client, 1)
    assert client.get("/adherents/2/prets").status_code in (403, 404)


def test_idor_service(base):
    with pytest.raises((NotFoundError, AccessDeniedError)):
        LoanAccessService(Database(base)).loans_of(User(1, Role.ADHERENT), 2)


def test_escalade_adherent(client, connecter):
    jeton = connecter(client, 1).get_json()["csrf_token"]
    assert client.post("/adherents/1/role", data={"role": "administrateur", "csrf_token": jeton}).status_code == 403


def test_escalade_bibliothecaire(client, connecter):
    jeton = connecter(client, 3).get_json()["csrf_token"]
    assert client.post("/adherents/3/role", data={"role": "administrateur", "csrf_token": jeton}).status_code == 403


def test_escalade_service(base, hacheur):
    from mediatheque.redis_store import LoginRateLimiter
    import os
    import redis

    service = AccountService(Database(base), LoginRateLimiter(redis.Redis.from_url(os.environ["REDIS_URL"])), hacheur)
    with pytest.raises(AccessDeniedError):
        service.set_role(User(3, Role.BIBLIOTHECAIRE), 3, Role.ADMINISTRATEUR)


def test_retour_par_un_adherent(client, connecter):
    jeton = connecter(client, 2).get_json()["csrf_token"]
    assert client.post("/prets/3/retour", data={"csrf_token": jeton}).status_code == 403


def test_mot_de_passe_d_un_autre(client, connecter):
    jeton = connecter(client, 1).get_json()["csrf_token"]
    reponse = client.post("/adherents/2/mot-de-passe", data={"mot_de_passe": "x" * 20, "csrf_token": jeton})
    assert reponse.status_code in (403, 404)


def test_csrf_role(client, connecter):
    connecter(client, 4)
    assert client.post("/adherents/2/role", data={"role": "administrateur"}).status_code in (400, 403)


def test_csrf_retour(client, connecter):
    connecter(client, 3)
    assert client.post("/prets/1/retour", data={"csrf_token": "contrefait"}).status_code in (400, 403)


def test_csrf_mot_de_passe(client, connecter):
    connecter(client, 1)
    assert client.post("/adherents/1/mot-de-passe", data={"mot_de_passe": "y" * 20}).status_code in (400, 403)


def test_fixation_de_session(client, connecter):
    with client.session_transaction() as session:
        session["piege"] = "posé par l'attaquant"
    connecter(client, 1)
    with client.session_transaction() as session:
        assert "piege" not in session
