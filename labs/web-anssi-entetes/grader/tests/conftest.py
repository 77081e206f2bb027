"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants).

Le correcteur fournit DATABASE_URL (base neuve clonée de starter/db/mediatheque.sql : schéma de la
médiathèque de référence et comptes de démonstration) et REDIS_URL ; chaque test repart de
donnees.sql et d'un Redis vide (les échecs de connexion y sont comptés).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import psycopg
import pytest
import redis

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
def module(services):
    return importlib.import_module("mediatheque")


@pytest.fixture
def app(module):
    application = module.create_app()
    application.config["TESTING"] = False  # erreurs traitées comme en production
    application.config["PROPAGATE_EXCEPTIONS"] = False
    return application


@pytest.fixture
def client(app):
    return app.test_client()
