"""Fixtures fournies (ne pas modifier) : une base et un Redis remis à zéro pour chaque test.

DATABASE_URL et REDIS_URL désignent une base PostgreSQL (schéma db/schema.sql) et un Redis de test.
Comptes (mot de passe MOT_DE_PASSE pour tous) : 1 et 2 adhérents, 3 bibliothécaire, 4 administrateur.
Prêts : 1 et 2 à l'adhérent 1, 3 à l'adhérent 2.
"""

import os
from datetime import date

import psycopg
import pytest
import redis

from mediatheque.security import PasswordHasher
from mediatheque.web import create_app

MOT_DE_PASSE = "lecture-2031-sure"
AUJOURDHUI = date(2031, 3, 18)
ADHERENT, AUTRE_ADHERENT, BIBLIOTHECAIRE, ADMINISTRATEUR = 1, 2, 3, 4
CARTES = {1: "M000001", 2: "M000002", 3: "M000003", 4: "M000004"}
DONNEES = """
TRUNCATE reservations, loans, items, documents, members RESTART IDENTITY CASCADE;
INSERT INTO members (id, card_number, last_name, first_name, email, role, password_hash) VALUES
(1, 'M000001', 'Martin', 'Camille', 'camille@exemple.fr', 'adherent', %(h)s),
(2, 'M000002', 'Bernard', 'Sacha', 'sacha@exemple.fr', 'adherent', %(h)s),
(3, 'M000003', 'Petit', 'Lou', 'lou@exemple.fr', 'bibliothecaire', %(h)s),
(4, 'M000004', 'Durand', 'Alex', 'alex@exemple.fr', 'administrateur', %(h)s);
INSERT INTO documents (id, title, kind) VALUES (1, 'Germinal', 'livre'), (2, 'Bel-Ami', 'livre'),
(3, 'Nana', 'livre');
INSERT INTO items (id, document_id, barcode) VALUES (1, 1, 'EX000001'), (2, 2, 'EX000002'), (3, 3, 'EX000003');
INSERT INTO loans (id, item_id, member_id, loaned_on, due_on) VALUES
(1, 1, 1, '2031-03-02', '2031-03-23'), (2, 2, 1, '2031-03-05', '2031-03-26'), (3, 3, 2, '2031-03-09', '2031-03-30');
"""


@pytest.fixture(scope="session")
def hacheur():
    """Un hacheur Argon2id rapide (paramètres réduits : pour les tests seulement)."""
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture(scope="session")
def empreinte(hacheur):
    """L'empreinte de MOT_DE_PASSE, calculée une fois."""
    return hacheur.hash(MOT_DE_PASSE)


@pytest.fixture
def base(empreinte):
    """L'URL de la base, remise dans l'état décrit plus haut."""
    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
        conn.execute(DONNEES, {"h": empreinte})
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    return url


@pytest.fixture
def app(base, hacheur):
    """L'application, sur la base et le Redis de test."""
    return create_app({"DATABASE_URL": base, "REDIS_URL": os.environ["REDIS_URL"], "SECRET_KEY": "test-" + "x" * 32,
                       "HASHER": hacheur, "TODAY": lambda: AUJOURDHUI})


@pytest.fixture
def client(app):
    """Un navigateur de test."""
    return app.test_client()


@pytest.fixture
def connecter():
    """connecter(client, membre, mot_de_passe) : la réponse de la connexion (son JSON porte le jeton CSRF)."""
    def login(client, membre, mot_de_passe=MOT_DE_PASSE):
        jeton = client.get("/csrf").get_json()["csrf_token"]
        return client.post("/connexion", data={"carte": CARTES[membre], "mot_de_passe": mot_de_passe,
                                               "csrf_token": jeton})
    return login
