"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants)."""

from __future__ import annotations

import importlib

import pytest

CAMILLE = {"courriel": "camille@exemple.fr", "mot_de_passe": "lecture2031"}


@pytest.fixture
def app():
    return importlib.import_module("mediatheque").create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def connecte(client):
    response = client.post("/connexion", data=CAMILLE)
    assert response.status_code in (302, 303), "la connexion de démonstration doit rediriger vers le compte"
    return client
