"""The reference médiathèque (course/mediatheque/): its rules, and the Flask app on a real throwaway
PostgreSQL (the numbered migrations, then the demo data set) and a real Redis.

The app is the project's own trusted code: it runs in this process, like a lab's reference data.
"""

from __future__ import annotations

import importlib
import re
import sys
from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest

from graders.services import default_pool
from graders.services import postgres as pg
from graders.services import redis as rd
from tests.helpers import REPO

REFERENCE = REPO / "course" / "mediatheque"
MIGRATIONS = sorted((REFERENCE / "migrations").glob("*.sql"))
DEMO = (REFERENCE / "donnees" / "jeu_de_demo.sql").read_text(encoding="utf-8")
TODAY = date(2031, 3, 11)  # a Tuesday: the library is open
PASSWORD = "une phrase de passe assez longue"

pytestmark = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
    pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"Redis: {rd.unavailable_reason()}"),
]


@pytest.fixture(scope="module")
def ref():
    """The reference package `mediatheque`, imported from course/mediatheque/app, removed afterwards."""
    path = str(REFERENCE / "app")
    sys.path.insert(0, path)
    try:
        yield importlib.import_module("mediatheque")
    finally:
        sys.path.remove(path)
        for name in [n for n in sys.modules if n == "mediatheque" or n.startswith("mediatheque.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def rules(ref):
    return importlib.import_module("mediatheque.rules")


# --- rules (pure Python) ------------------------------------------------------------------------

def test_minor_is_decided_from_the_birth_year_only(rules):
    assert rules.is_minor(2014, TODAY) and not rules.is_minor(2013, TODAY) and not rules.is_minor(None, TODAY)
    assert (rules.max_loans(2016, TODAY), rules.max_loans(1985, TODAY)) == (3, 5)


@pytest.mark.parametrize(("loaned", "kind", "due"), [
    (date(2031, 3, 11), "livre", date(2031, 4, 1)),
    (date(2031, 3, 11), "dvd", date(2031, 3, 18)),
    (date(2031, 3, 12), "bd", date(2031, 3, 26)),
    (date(2031, 3, 9), "revue", date(2031, 3, 18)),   # due on a Sunday: moved to Tuesday
    (date(2031, 3, 10), "cd", date(2031, 3, 25)),     # due on a Monday: moved to Tuesday
])
def test_due_date_by_kind_and_closing_days(rules, loaned, kind, due):
    assert rules.due_date(loaned, kind) == due


def test_unknown_kind_is_refused(rules):
    with pytest.raises(ValueError):
        rules.due_date(TODAY, "vinyle")


def test_may_borrow_checks_in_order(rules):
    late, soon = TODAY - timedelta(days=1), TODAY + timedelta(days=3)
    assert rules.may_borrow(TODAY - timedelta(days=1), [late], None, TODAY) == (False, "abonnement expiré")
    assert rules.may_borrow(TODAY, [late] + [soon] * 5, None, TODAY) == (False, "retard")
    assert rules.may_borrow(TODAY, [soon] * 3, 2016, TODAY) == (False, "quota atteint")
    assert rules.may_borrow(TODAY, [soon] * 3, 1985, TODAY) == (True, "ok")


def test_late_fee_and_queue(rules):
    assert [rules.late_fee(d) for d in (2, 3, 10, 100)] == [Decimal("0.00"), Decimal("0.45"), Decimal("1.50"),
                                                             Decimal("8.00")]
    assert rules.late_fee(10, 2) == Decimal("3.00")
    assert rules.next_in_queue([(date(2031, 3, 5), 1), (date(2031, 3, 2), 7), (date(2031, 3, 2), 4)]) == 4
    assert rules.next_in_queue([]) is None


def test_rules_doc_states_the_values_of_the_rules_module(rules):
    """REGLES.md is where the rules are written: its figures are the module's."""
    text = (REFERENCE / "REGLES.md").read_text(encoding="utf-8")
    for kind, days in rules.LOAN_DAYS.items():
        assert re.search(rf"\|\s*{kind}\s*\|\s*{days} jours", text), kind
    for phrase in (f"{rules.MAX_LOANS_ADULT} prêts", f"{rules.MAX_LOANS_MINOR} prêts", "dimanche et le lundi",
                   f"{rules.LATE_GRACE_DAYS} jours", "0,15 €", "8,00 €", "année de naissance"):
        assert phrase in text, phrase


# --- the application on real servers -----------------------------------------------------------

@pytest.fixture(scope="module")
def servers():
    pool = default_pool()
    service = pool.postgres(exposed=False)
    template = service.template(MIGRATIONS)
    with service.provision(template=template) as db, pool.redis().provision() as cache:
        yield db, cache


@pytest.fixture
def app(ref, servers):
    db, cache = servers
    with psycopg.connect(db.host_url, autocommit=True) as conn:
        conn.execute("TRUNCATE loans, reservations, items, documents, members RESTART IDENTITY CASCADE")
        conn.execute(DEMO)
    cache.client().flushdb()
    return ref.create_app({"DATABASE_URL": db.host_url, "REDIS_URL": cache.host_url, "SECRET_KEY": "test-" * 8,
                           "TODAY": lambda: TODAY})


@pytest.fixture
def client(app):
    """A browser on https: the app's cookies are Secure."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    return client


def sql(servers, query, params=()):
    with psycopg.connect(servers[0].host_url) as conn:
        return conn.execute(query, params).fetchall()


def register(client, **fields):
    form = {"nom": "Sonde", "prenom": "Zoé", "courriel": "zoe.sonde@example.org", "annee_naissance": "2015",
            "mot_de_passe": PASSWORD, **fields}
    return client.post("/inscription", data=form)


def login(client, card, password=PASSWORD):
    response = client.post("/connexion", data={"carte": card, "mot_de_passe": password})
    if response.status_code == 302:
        assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    return response


def test_migrations_make_the_reference_tables(servers):
    tables = {r[0] for r in sql(servers, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"members", "documents", "items", "loans", "reservations"}
    columns = {r[0] for r in sql(servers, "SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'members'")}
    assert "birth_year" in columns and not columns & {"birth_date", "date_naissance"}


def test_pages_are_accessible_and_no_tracker_before_consent(client):
    for path in ("/", "/catalogue", "/inscription", "/connexion", "/cookies", "/donnees-personnelles"):
        page = client.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, path
        assert '<html lang="fr">' in html and '<main id="contenu"' in html and 'href="#contenu"' in html, path
        assert "piwik" not in html and "_pk_id" not in page.headers.get("Set-Cookie", ""), path
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"], path
        assert page.headers["X-Content-Type-Options"] == "nosniff", path
        for field in re.findall(r'<input id="([^"]+)"', html):
            assert f'<label for="{field}"' in html, (path, field)


def test_consent_then_withdrawal(client):
    accepted = client.post("/consentement", data={"choix": "accepter", "retour": "/catalogue"})
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/catalogue"
    assert all(f in accepted.headers["Set-Cookie"] for f in ("Secure", "HttpOnly", "SameSite=Lax"))
    page = client.get("/")
    assert "piwik.js" in page.get_data(as_text=True) and "_pk_id=" in page.headers.get("Set-Cookie", "")
    refused = client.post("/consentement", data={"choix": "refuser", "retour": "//evil.example"})
    assert refused.headers["Location"] == "/" and "_pk_id=;" in " ".join(refused.headers.getlist("Set-Cookie"))
    assert "piwik" not in client.get("/").get_data(as_text=True)


def test_catalogue_search_is_cached_in_redis(client, servers):
    page = client.get("/catalogue?q=prince")
    assert "Le Petit Prince" in page.get_data(as_text=True)
    assert servers[1].client().keys("mediatheque:catalogue:*")
    bad = client.get("/catalogue?q=prince&type=vinyle")
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.get_data(as_text=True)


def test_registration_collects_only_the_birth_year(client, servers):
    page = register(client)
    assert page.status_code == 200 and "M000005" in page.get_data(as_text=True)
    assert sql(servers, "SELECT birth_year, password_hash LIKE 'scrypt:%%' FROM members WHERE card_number = 'M000005'"
               ) == [(2015, True)]
    wrong = register(client, courriel="pas-une-adresse", annee_naissance="15/03/2015", mot_de_passe="court")
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and 'role="alert"' in html
    for field in ("courriel", "annee_naissance", "mot_de_passe"):
        assert f'id="{field}-erreur"' in html and f'href="#{field}"' in html


def test_loans_follow_the_rules(client, servers):
    register(client)  # M000005 (id 101: the demo data set sets the sequences), born 2015: a minor
    login(client, "M000005")
    ok = client.post("/compte/emprunter", data={"exemplaire": "110"})  # a DVD: 7 days
    assert ok.status_code == 200 and "18/03/2031" in ok.get_data(as_text=True)
    for item in ("101", "106"):
        assert client.post("/compte/emprunter", data={"exemplaire": item}).status_code == 200
    refused = client.post("/compte/emprunter", data={"exemplaire": "108"})
    assert refused.status_code == 409 and "quota atteint" in refused.get_data(as_text=True)
    assert client.post("/compte/emprunter", data={"exemplaire": "104"}).status_code == 409  # already lent
    assert sql(servers, "SELECT count(*) FROM loans WHERE member_id = 101") == [(3,)]


def test_login_is_limited_after_five_failures(client):
    register(client)
    for _ in range(5):
        assert login(client, "M000005", "mauvais mot de passe").status_code == 401
    blocked = login(client, "M000005")
    assert blocked.status_code == 401 and "Trop de tentatives" in blocked.get_data(as_text=True)


def test_export_and_erasure(client, servers):
    register(client)
    login(client, "M000005")
    client.post("/compte/emprunter", data={"exemplaire": "102"})
    exported = client.get("/compte/export").get_json()
    assert exported["email"] == "zoe.sonde@example.org" and exported["prets"][0]["titre"] == "Le Petit Prince"
    assert "password_hash" not in exported
    assert client.post("/compte/supprimer", data={"confirmation": "oui"}).status_code == 409  # a loan is out
    with psycopg.connect(servers[0].host_url) as conn:
        conn.execute("UPDATE loans SET returned_on = %s WHERE member_id = 101", (TODAY,))
    assert client.post("/compte/supprimer", data={}).status_code == 400
    assert client.post("/compte/supprimer", data={"confirmation": "oui"}).status_code == 200
    assert sql(servers, "SELECT last_name, email, birth_year, password_hash, erased_on FROM members WHERE id = 101") == [
        ("Anonyme", "efface-101@invalid", None, None, TODAY)]
    assert sql(servers, "SELECT count(*) FROM loans WHERE member_id = 101") == [(1,)]  # history kept, anonymous
    assert client.get("/compte/export").status_code == 401
    assert login(client, "M000005").status_code == 401


def test_seeded_refusals_and_queue(ref, app, servers):
    with app.app_context():
        loans = app.extensions["mediatheque"]["loans"]
        errors = importlib.import_module("mediatheque.errors")
        for member, reason in ((2, "quota atteint"), (3, "retard"), (4, "abonnement expiré")):
            with pytest.raises(errors.ConflictError, match=reason):
                loans.borrow(member, 102, TODAY)
        with pytest.raises(errors.ConflictError, match="fermée"):
            loans.borrow(1, 102, date(2031, 3, 10))
        assert loans.next_in_queue(3) == 4
