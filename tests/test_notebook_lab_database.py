"""`make lab`: the SQL notebook finds its database in the learners' JupyterLab (DATABASE_URL)."""

from __future__ import annotations

import pytest

from graders.notebooks.course import database_seeds, lab_databases, notebook_labs
from graders.services import ServicePool
from graders.services import postgres as pg

pytestmark = pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}")


def test_the_sql_notebook_lab_declares_its_seed():
    seeds = database_seeds()
    assert [seed.name for seed in seeds] == ["mediatheque.sql"]
    assert seeds[0].parent.parent.name == "nb-c8-requetes-sql"


def test_the_lab_session_gets_a_loaded_database_removed_afterwards():
    import psycopg

    pool = ServicePool()
    try:
        with lab_databases(pool=pool) as env:
            with psycopg.connect(env["DATABASE_URL"], connect_timeout=10) as conn:
                members = conn.execute("SELECT count(*) FROM members").fetchone()[0]
                conn.execute("INSERT INTO members (card_number, last_name, first_name, email) "
                             "VALUES ('M099999', 'Test', 'Lab', 't@example.org')")
        assert members > 0  # the notebook's data is there, and the learner may write to it
        assert pool.postgres(exposed=False).inventory() == {"databases": [], "roles": []}
    finally:
        pool.close()


def test_no_notebook_seed_means_no_database():
    without_sql = [lab for lab in notebook_labs() if lab.id != "nb-c8-requetes-sql"]
    with lab_databases(labs=without_sql) as env:
        assert env == {}
