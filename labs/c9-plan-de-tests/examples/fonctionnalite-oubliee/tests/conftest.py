"""Environnement de tests de la médiathèque.

Les tests unitaires (test_regles.py) n'ont besoin de rien. Les tests d'intégration et de sécurité
utilisent une vraie base PostgreSQL et un vrai Redis, désignés par les variables d'environnement :

- DATABASE_URL : une base dont le schéma est db/schema.sql (le correcteur en clone une neuve à chaque
  exécution ; en local : createdb mediatheque_test && psql mediatheque_test -f db/schema.sql) ;
- REDIS_URL : un Redis de test (en local : redis-server --port 6380, REDIS_URL=redis://localhost:6380/0).

Avant chaque test, la fixture `base` vide les tables et charge le jeu d'essai ci-dessous, et vide Redis :
chaque test part du même état, dans n'importe quel ordre.
"""

import os
from datetime import date

import psycopg
import pytest
import redis
from werkzeug.security import generate_password_hash

from mediatheque.database import Database
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.repositories import CatalogueRepository, LoanRepository, MemberRepository, ReservationRepository
from mediatheque.services.loans import LoanService
from mediatheque.services.members import MemberService

MOT_DE_PASSE = "lecture-2031-sure"
AUJOURDHUI = date(2031, 3, 18)  # un mardi
ADULTE, MINEUR, EXPIRE, EN_RETARD = 1, 2, 3, 4
JEU_D_ESSAI = """
TRUNCATE reservations, loans, items, documents, members RESTART IDENTITY CASCADE;
INSERT INTO members (card_number, last_name, first_name, email, birth_year, password_hash, subscription_ends_on) VALUES
('M000001', 'Martin', 'Camille', 'camille@exemple.fr', 1990, %(h)s, '2031-12-31'),
('M000002', 'Bernard', 'Sacha', 'sacha@exemple.fr', 2020, %(h)s, '2031-12-31'),
('M000003', 'Petit', 'Lou', 'lou@exemple.fr', 1985, %(h)s, '2031-01-31'),
('M000004', 'Durand', 'Alex', 'alex@exemple.fr', 1970, %(h)s, '2031-12-31');
INSERT INTO documents (title, kind, author) VALUES
('Germinal', 'livre', 'Émile Zola'), ('Astérix le Gaulois', 'bd', 'Goscinny et Uderzo'),
('La Grande Vadrouille', 'dvd', 'Gérard Oury'), ('Taux à 100%% garanti', 'revue', 'Collectif');
INSERT INTO items (document_id, barcode) VALUES  -- exemplaires 1 à 8
(1, 'EX000001'), (1, 'EX000002'), (2, 'EX000003'), (2, 'EX000004'), (3, 'EX000005'),
(3, 'EX000006'), (4, 'EX000007'), (1, 'EX000008');
INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES
(3, 2, '2031-03-04', '2031-03-25'), (4, 2, '2031-03-06', '2031-03-27'), (5, 2, '2031-03-13', '2031-03-20'),
(6, 4, '2031-03-01', '2031-03-08');
"""


def url(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} n'est pas défini : voir tests/conftest.py (environnement de tests)")
    return value


@pytest.fixture(scope="session")
def empreinte():
    """L'empreinte du mot de passe des comptes du jeu d'essai : un hachage volontairement peu coûteux (tests
    seulement), que check_password_hash sait vérifier ; l'application, elle, hache en scrypt."""
    return generate_password_hash(MOT_DE_PASSE, method="pbkdf2:sha256:1000")


@pytest.fixture
def base(empreinte):
    """La base de test, remise dans l'état du jeu d'essai, et un Redis vide."""
    with psycopg.connect(url("DATABASE_URL"), autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
        conn.execute(JEU_D_ESSAI, {"h": empreinte})
    client = redis.Redis.from_url(url("REDIS_URL"))
    client.flushdb()
    return Database(url("DATABASE_URL"))


@pytest.fixture
def redis_client(base):
    return redis.Redis.from_url(url("REDIS_URL"))


@pytest.fixture
def adherents(base, redis_client):
    return MemberService(MemberRepository(base), LoanRepository(base), ReservationRepository(base),
                         LoginRateLimiter(redis_client, max_attempts=5, window_s=900))


@pytest.fixture
def prets(base):
    return LoanService(LoanRepository(base), ReservationRepository(base))


@pytest.fixture
def catalogue(base):
    return CatalogueRepository(base)


@pytest.fixture
def sql():
    """sql(requête, paramètres) : les lignes lues directement dans la base (pour vérifier ce qui y est écrit)."""
    def run(query, params=()):
        with psycopg.connect(url("DATABASE_URL")) as conn:
            return conn.execute(query, params).fetchall()
    return run


@pytest.fixture
def navigateur(base):
    """Un navigateur de test sur l'application complète (tests système)."""
    from mediatheque import create_app

    app = create_app({"DATABASE_URL": url("DATABASE_URL"), "REDIS_URL": url("REDIS_URL"),
                      "SECRET_KEY": "test-" + "x" * 32, "TODAY": lambda: AUJOURDHUI})
    return app.test_client()
