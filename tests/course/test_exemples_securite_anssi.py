"""Runs the worked example of course/transversal/securite-anssi.md: entetes.py (Flask test client:
headers, session cookie, error page) and mots_de_passe.py (Argon2id hash, verify, rehash)."""

from __future__ import annotations

import importlib.util

import pytest
from argon2 import PasswordHasher

from tests.helpers import REPO

FOLDER = REPO / "course" / "exemples" / "securite-anssi"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"exemple_anssi_{name}", FOLDER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client():
    return load("entetes").create_app("cle-de-test").test_client()


def test_every_response_carries_the_security_headers(client):
    for path in ("/compte", "/panne", "/absente"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_secure_and_samesite(client):
    cookie = client.get("/compte").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_error_page_hides_the_technical_detail(client):
    response = client.get("/panne")
    assert response.status_code == 500
    assert b"postgresql" not in response.data and b"Traceback" not in response.data


def test_argon2id_hash_and_verify():
    mdp = load("mots_de_passe")
    stored = mdp.hash_password("Bibliothèque du Parc 2031")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert stored != mdp.hash_password("Bibliothèque du Parc 2031")  # a new salt every time
    assert mdp.verify_password(stored, "Bibliothe\u0300que du Parc 2031") is True   # è typed decomposed: NFC
    assert mdp.verify_password(stored, "Bibliothe\u0301que du Parc 2031") is False  # é is not è
    assert mdp.verify_password(stored, "bibliothèque du parc 2031") is False
    assert mdp.verify_password("5f4dcc3b5aa765d61d8327deb882cf99", "password") is False  # an MD5, no exception


def test_weak_parameters_need_a_rehash():
    mdp = load("mots_de_passe")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("Bibliothèque du Parc 2031")
    assert mdp.verify_password(weak, "Bibliothèque du Parc 2031") is True
    assert mdp.needs_rehash(weak) is True
    assert mdp.needs_rehash(mdp.hash_password("Bibliothèque du Parc 2031")) is False
