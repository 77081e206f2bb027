"""C7 worked example (course/competences/c7.md): the reference schema (migrations 0001 and 0002), then
statistiques.sql, donnees.sql and roles.sql, applied with psql to a throwaway PostgreSQL database as
the C7 lab applies a submission; the constraints refuse bad rows, the data set
replays identically, and each role can do what it needs and nothing else."""

from __future__ import annotations

import subprocess

import psycopg
import pytest

from graders.services import default_pool
from graders.services import postgres as pg
from tests.helpers import REPO

EXAMPLES = REPO / "course" / "exemples" / "c7"
FILES = ["statistiques.sql", "donnees.sql", "roles.sql"]
MIGRATIONS = REPO / "course" / "mediatheque" / "migrations"
SCHEMA = [MIGRATIONS / "0001_catalogue_adherents_prets.sql", MIGRATIONS / "0002_reservations.sql"]

pytestmark = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
]


def test_every_example_file_is_tested():
    assert sorted(p.name for p in EXAMPLES.iterdir()) == sorted(FILES)


def psql(db, path, **variables: str) -> subprocess.CompletedProcess:
    argv = [pg.pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    for key, value in variables.items():
        argv += ["-v", f"{key}={value}"]
    return subprocess.run(argv + ["-f", str(path)], env=db.libpq_env(), capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def db():
    service = default_pool().postgres(exposed=False)
    with service.provision() as database:
        app, _ = database.add_role("app")
        stats, _ = database.add_role("stats")
        steps = [(path, {}) for path in SCHEMA] + [
            (EXAMPLES / "statistiques.sql", {}), (EXAMPLES / "donnees.sql", {}),
            (EXAMPLES / "roles.sql", {"app_role": app, "stats_role": stats})]
        for path, variables in steps:
            done = psql(database, path, **variables)
            assert done.returncode == 0, f"{path.name}: {done.stderr}"
        yield database


def counts(conn) -> list[int]:
    return [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (fixed table names)
            for t in ("members", "documents", "items", "loans", "reservations")]


def test_the_data_set_is_complete_and_replays_identically(db):
    with db.connect() as conn:
        before = counts(conn)
        late = conn.execute("SELECT m.card_number FROM loans AS l JOIN members AS m ON m.id = l.member_id "
                            "WHERE l.returned_on IS NULL AND l.due_on < DATE '2031-03-11'").fetchall()
    assert before == [5, 8, 10, 5, 2] and late == [("M000003",)]
    assert psql(db, EXAMPLES / "donnees.sql").returncode == 0
    with db.connect() as conn:
        assert counts(conn) == before
        assert conn.execute("SELECT min(id), max(id) FROM members").fetchone() == (1, 5)  # identities restarted


@pytest.mark.parametrize(("sql", "sqlstate"), [
    ("INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (4, 4, '2031-03-11', '2031-03-01')", "23514"),
    ("INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (2, 4, '2031-03-11', '2031-04-01')", "23505"),
    ("INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (4, 999, '2031-03-11', '2031-04-01')", "23503"),
    ("INSERT INTO documents (title, kind) VALUES ('Sonde', 'vinyle')", "23514"),
    ("INSERT INTO members (card_number, last_name, first_name, email) VALUES ('123', 'A', 'B', 'a@example.org')", "23514"),
    ("INSERT INTO members (card_number, last_name, first_name, email) "
     "VALUES ('M000099', 'A', 'B', 'anne.fictif@example.org')", "23505"),
    ("DELETE FROM members WHERE card_number = 'M000003'", "23503"),
], ids=["retour-avant-pret", "deux-prets-en-cours", "adherent-inexistant", "type-inconnu", "carte-mal-formee",
        "courriel-en-double", "adherent-avec-prets"])
def test_the_constraints_refuse_bad_rows(db, sql, sqlstate):
    with db.connect() as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(sql)
    assert refused.value.sqlstate == sqlstate


def test_a_returned_item_can_be_lent_again(db):
    """The partial unique index counts loans in progress only: EX000101's loan was returned."""
    with db.connect() as conn:
        conn.execute("INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (1, 4, '2031-03-11', '2031-04-01')")
        assert conn.execute("SELECT count(*) FROM loans WHERE item_id = 1").fetchone()[0] == 2
        conn.rollback()


@pytest.mark.parametrize(("role", "sql", "allowed"), [
    ("app", "SELECT count(*) FROM members", True),
    ("app", "INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (4, 4, '2031-03-11', '2031-04-01')", True),
    ("app", "UPDATE loans SET returned_on = '2031-03-11' WHERE id = 2", True),
    ("app", "DELETE FROM reservations WHERE member_id = 4", True),
    ("app", "DELETE FROM loans WHERE id = 1", False),
    ("app", "DELETE FROM members WHERE id = 4", False),
    ("app", "UPDATE documents SET title = 'modifié'", False),
    ("app", "TRUNCATE reservations", False),
    ("app", "CREATE TABLE public.sonde (id integer)", False),
    ("stats", "SELECT sum(loans) FROM loan_counts_by_kind", True),
    ("stats", "SELECT email FROM members", False),
    ("stats", "SELECT count(*) FROM loans", False),
])
def test_each_role_has_the_least_privilege(db, role, sql, allowed):
    with db.connect(role=role) as conn:
        try:
            conn.execute(sql)
            outcome = True
        except psycopg.errors.InsufficientPrivilege:
            outcome = False
        conn.rollback()
    assert outcome is allowed


def test_the_stats_view_counts_loans_without_personal_data(db):
    with db.connect(role="stats") as conn:
        rows = dict(conn.execute("SELECT kind, loans FROM loan_counts_by_kind").fetchall())
        columns = [c.name for c in conn.execute("SELECT * FROM loan_counts_by_kind LIMIT 0").description]
    assert columns == ["kind", "loans"]
    assert rows == {"livre": 4, "dvd": 1, "cd": 0, "bd": 0, "revue": 0}
