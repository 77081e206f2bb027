"""Tests de fumée, lancés DANS le conteneur de l'application (docker compose exec app ...).

Ils lisent DATABASE_URL et REDIS_URL dans l'environnement du conteneur : ils passent quand la pile
Compose fournit bien les services dont l'application a besoin.
"""

import os

import psycopg
import redis

from mediatheque import create_app


def test_la_base_repond_et_contient_le_jeu_de_demo():
    with psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5) as connection:
        (count,) = connection.execute("SELECT count(*) FROM documents").fetchone()
    assert count > 0


def test_redis_repond():
    assert redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2).ping()


def test_le_catalogue_s_affiche():
    client = create_app().test_client()
    page = client.get("/catalogue?q=Petit")
    assert page.status_code == 200
    assert "Le Petit Prince" in page.get_data(as_text=True)
