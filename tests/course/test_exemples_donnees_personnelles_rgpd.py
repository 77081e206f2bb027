"""Runs the worked example of course/transversal/donnees-personnelles-rgpd.md: consentement.py
(Flask test client: no tracker before consent, refusal as easy, withdrawal erases the tracker)
and purge.sql (on a throwaway PostgreSQL with the reference migrations)."""

from __future__ import annotations

import importlib.util
from datetime import date

import psycopg
import pytest

from graders.services import default_pool
from graders.services import postgres as pg
from tests.helpers import REPO

FOLDER = REPO / "course" / "exemples" / "donnees-personnelles-rgpd"
MIGRATIONS = sorted((REPO / "course" / "mediatheque" / "migrations").glob("*.sql"))
TRACKER = b"stats.audience-exemple.fr"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"exemple_rgpd_{name}", FOLDER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client():
    return load("consentement").create_app().test_client()


def test_no_tracker_before_consent_and_both_choices_on_the_banner(client):
    page = client.get("/")
    assert TRACKER not in page.data and "_pk_id" not in page.headers.get("Set-Cookie", "")
    assert b'value="refuser">Tout refuser' in page.data and b'value="accepter">Tout accepter' in page.data


def test_refusal_keeps_the_tracker_out(client):
    answer = client.post("/consentement", data={"choix": "refuser"})
    assert "consentement=refuse" in answer.headers["Set-Cookie"]
    page = client.get("/")
    assert TRACKER not in page.data and b"Tout refuser" not in page.data  # banner gone, still no tracker


def test_acceptance_loads_the_tracker_for_13_months_at_most(client):
    answer = client.post("/consentement", data={"choix": "accepter"})
    audience = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("_pk_id="))
    max_age = int(audience.split("Max-Age=")[1].split(";")[0])
    assert max_age <= 395 * 24 * 3600
    assert TRACKER in client.get("/").data
    assert b"/cookies" in client.get("/").data  # withdrawal reachable from the page


def test_withdrawal_erases_the_tracker(client):
    client.post("/consentement", data={"choix": "accepter"})
    assert b"Tout refuser" in client.get("/cookies").data
    answer = client.post("/consentement", data={"choix": "refuser"})
    assert any(c.startswith("_pk_id=;") for c in answer.headers.getlist("Set-Cookie"))
    assert TRACKER not in client.get("/").data


SEED = """
INSERT INTO members (id, card_number, last_name, first_name, email, birth_year, registered_on, subscription_ends_on)
VALUES (10, 'M000010', 'Ancien', 'Paul', 'paul@example.org', 1960, '2020-01-06', '2027-12-31'),
       (11, 'M000011', 'Retard', 'Lise', 'lise@example.org', 1975, '2020-01-06', '2027-06-30'),
       (12, 'M000012', 'Recent', 'Hugo', 'hugo@example.org', 1990, '2020-01-06', '2029-01-31');
INSERT INTO documents (id, title, kind) VALUES (1, 'Le Petit Prince', 'livre');
INSERT INTO items (id, document_id, barcode) VALUES (101, 1, 'EX000101'), (102, 1, 'EX000102');
INSERT INTO loans (item_id, member_id, loaned_on, due_on, returned_on)
VALUES (101, 10, '2027-03-02', '2027-03-23', '2027-03-20'),
       (102, 11, '2027-05-04', '2027-05-25', NULL);
INSERT INTO reservations (member_id, document_id, reserved_on) VALUES (10, 1, '2027-04-01');
"""


@pytest.mark.xdist_group("cda-databases")
@pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}")
def test_purge_anonymises_only_expired_members_without_a_loan_in_progress():
    service = default_pool().postgres(exposed=False)
    with service.provision(template=service.template(MIGRATIONS)) as db, \
            psycopg.connect(db.host_url, autocommit=True) as conn:
        conn.execute(SEED)
        purge = (FOLDER / "purge.sql").read_text(encoding="utf-8")
        with conn.transaction():
            for statement in [s for s in purge.split(";") if s.strip(" \n-") and "members" in s]:
                conn.execute(statement, {"reference": date(2031, 3, 11)})
        rows = dict(conn.execute("SELECT id, last_name FROM members ORDER BY id").fetchall())
        assert rows == {10: "Anonyme", 11: "Retard", 12: "Recent"}
        email, erased = conn.execute("SELECT email, erased_on FROM members WHERE id = 10").fetchone()
        assert email == "efface-10@invalid" and erased == date(2031, 3, 11)
        assert conn.execute("SELECT count(*) FROM loans WHERE member_id = 10").fetchone()[0] == 1  # history kept
        assert conn.execute("SELECT count(*) FROM reservations").fetchone()[0] == 0
