"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants).

Le correcteur fournit DATABASE_URL (base neuve clonée de starter/db/mediatheque.sql : schéma de la
médiathèque de référence et comptes de démonstration) et REDIS_URL ; chaque test repart de
donnees.sql et d'un Redis vide.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import psycopg
import pytest
import redis

CAMILLE = {"courriel": "camille@exemple.fr", "mot_de_passe": "lecture2031"}
DONNEES = (Path(__file__).parent / "donnees.sql").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def services():
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            pytest.fail(f"{name} n'est pas défini (services de test)")
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(DONNEES)
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.flushdb()
    client.close()


@pytest.fixture
def sql(services):
    """Une requête de contrôle sur la base de la soumission : la liste de ses lignes."""
    def query(text: str, *params):
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            return conn.execute(text, params).fetchall()
    return query


@pytest.fixture
def app(services):
    return importlib.import_module("mediatheque").create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def connecte(client):
    response = client.post("/connexion", data=CAMILLE)
    assert response.status_code in (302, 303), "la connexion de démonstration doit rediriger vers le compte"
    return client
