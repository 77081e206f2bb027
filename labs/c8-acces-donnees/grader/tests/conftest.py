"""Fixtures des tests (visibles et cachés) du lab C8 : une vraie base PostgreSQL et un vrai Redis.

Le correcteur fournit DATABASE_URL (base neuve, clonée du schéma du lab, propre à la soumission)
et REDIS_URL (serveur Redis propre à la soumission). En local : exportez les vôtres.
Les modules de la soumission sont importés dans les fixtures, jamais au niveau du module : un
module manquant fait échouer les tests qui en dépendent, pas la collecte du fichier.
"""

from __future__ import annotations

import importlib
import os
import secrets
from datetime import date
from pathlib import Path

import psycopg
import pytest
import redis

SEED = (Path(__file__).parent / "seed.sql").read_text(encoding="utf-8")
TODAY = date(2031, 3, 10)
TABLES = ("members", "documents", "items", "loans")
# Une base qui n'existe pas (aucun serveur derrière ce socket) ; le mot de passe ne doit jamais
# apparaître dans un message d'erreur.
SECRET = "mot-de-passe-tres-secret-42"
UNREACHABLE_DB = f"postgresql://inconnu:{SECRET}@/nulle_part?host=/nonexistent/socket-dir&connect_timeout=2"
UNREACHABLE_REDIS = "/nonexistent/redis.sock"


def load(name: str):
    return importlib.import_module(name)


@pytest.fixture
def db_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.fail("DATABASE_URL n'est pas défini (base PostgreSQL de test)")
    return url


@pytest.fixture
def sql(db_url):
    """Connexion de contrôle (autocommit) sur une base remise au jeu de données de départ."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(SEED)
        yield conn


@pytest.fixture
def rds():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL n'est pas défini (serveur Redis de test)")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def errors():
    return load("mediatheque.errors")


@pytest.fixture
def repos():
    return load("mediatheque.repositories")


@pytest.fixture
def database(db_url, sql):
    return load("mediatheque.database").Database(db_url)


@pytest.fixture
def members(repos, database):
    return repos.MemberRepository(database)


@pytest.fixture
def catalogue(repos, database):
    return repos.CatalogueRepository(database)


@pytest.fixture
def loans(repos, database):
    return repos.LoanRepository(database)


@pytest.fixture
def store():
    return load("mediatheque.redis_store")


@pytest.fixture
def unreachable_db():
    return load("mediatheque.database").Database(UNREACHABLE_DB)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def snapshot(sql):
    """snapshot() : contenu complet des tables, pour vérifier qu'une opération n'a rien changé d'autre."""
    return lambda: {t: sql.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


@pytest.fixture
def active_loan(sql):
    """active_loan(item_id) : (member_id,) du prêt en cours de l'exemplaire, ou None."""
    return lambda item_id: sql.execute(
        "SELECT member_id FROM loans WHERE item_id = %s AND returned_on IS NULL", (item_id,)).fetchone()


@pytest.fixture
def secret() -> str:
    return SECRET


@pytest.fixture
def dead_redis():
    """Un client Redis vers un socket où rien n'écoute (sans les nouvelles tentatives de redis-py,
    qui font attendre plus de 4 s chaque appel)."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(unix_socket_path=UNREACHABLE_REDIS, socket_timeout=1, retry=Retry(NoBackoff(), 0))


@pytest.fixture
def marker(request):
    """marker() : une valeur témoin unique, avec une apostrophe (ex. « cda1f2e3d4c'a9b8c7 »),
    déclarée au correcteur.

    Pendant les tests cachés, le correcteur lit les requêtes reçues par PostgreSQL : une valeur
    témoin qui y figure comme du SQL (hors d'une chaîne correctement échappée) prouve une requête
    construite à partir de l'entrée (CWE-89), quelle que soit la syntaxe employée. Une requête
    paramétrée ne la met jamais dans le texte SQL (le serveur reçoit $1). À ne passer qu'au code de
    la soumission, jamais dans les requêtes des tests eux-mêmes. En minuscules, sans espace ni
    « % », « _ » ou antislash : le code testé la transmet telle quelle.

    marker("*") : la même, avec un joker à la place de l'apostrophe. Le correcteur suit aussi les
    commandes reçues par Redis : une valeur témoin dans le source d'un script Lua (EVAL), ou avec
    son « * » non échappé dans un motif (KEYS, SCAN MATCH), est une injection.
    """
    try:
        declare = request.getfixturevalue("cda_declare_marker")  # fourni par le correcteur
    except pytest.FixtureLookupError:
        declare = None  # tests lancés hors du correcteur

    def make(quote: str = "'") -> str:
        value = f"cda{secrets.token_hex(4)}{quote}{secrets.token_hex(3)}"
        if declare is not None:
            declare(value)
        return value

    return make
