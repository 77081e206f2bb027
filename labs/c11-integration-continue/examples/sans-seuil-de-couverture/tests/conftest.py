"""Fixtures des tests : une vraie base PostgreSQL (DATABASE_URL) et un vrai Redis (REDIS_URL).

Sans ces variables, les tests qui en ont besoin sont ignorés (« skipped ») : dans la chaîne
d'intégration, déclarez les services PostgreSQL et Redis pour qu'ils s'exécutent vraiment.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import psycopg
import pytest
import redis

from mediatheque.database import Database

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2031, 3, 11)  # un mardi : la médiathèque est ouverte
DATABASE_URL = os.environ.get("DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture
def db() -> Database:
    if not DATABASE_URL:
        pytest.skip("DATABASE_URL absent : pas de service PostgreSQL")
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        conn.execute((ROOT / "db" / "schema.sql").read_text(encoding="utf-8"))
    return Database(DATABASE_URL)


@pytest.fixture
def cache() -> redis.Redis:
    if not REDIS_URL:
        pytest.skip("REDIS_URL absent : pas de service Redis")
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    client.flushdb()
    return client
