"""Lab c7-conception-bdd graded on a real PostgreSQL: findings, feedback, and nothing left behind.

(tests/test_labs.py checks every solution, starter and example score; here: what the feedback says,
that hostile SQL stays harmless, and that grading leaves no database, role or process.)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from graders.checks.sql_schema import load_spec
from graders.engine import grade
from graders.labs import load_lab
from graders.services import default_pool
from graders.services import postgres as pg
from graders.services import redis as rd
from graders.sandbox.bubblewrap import BubblewrapSandbox
from tests.helpers import REPO, run_cda
from tests.test_services import processes_under

LAB_DIR = REPO / "labs" / "c7-conception-bdd"

pytestmark = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.slow,
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
    pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                       reason=f"bubblewrap: {BubblewrapSandbox.unavailable_reason()}"),
]


@pytest.fixture(scope="module")
def lab():
    return load_lab(LAB_DIR)


@pytest.fixture(scope="module")
def pool():
    return default_pool()


@pytest.fixture(scope="module")
def graded(lab, pool):
    """Grades each submission once for the module (lang en: assertions on English msgids)."""
    cache = {}

    def run(name: str):
        if name not in cache:
            path = LAB_DIR / name if name in ("solution", "starter") else LAB_DIR / "examples" / name
            cache[name] = grade(lab, path, lang="en", services={"pool": pool})
        return cache[name]

    return run


def criterion(result, title: str):
    check = next(c for c in result.checks if c.kind == "sql-schema")
    return next(t for t in check.tests if t.name == title)


def rules(result) -> set[str]:
    return {f.rule for _check, f in result.all_findings()}


def assert_nothing_left(pool):
    assert pool.postgres(exposed=True).inventory() == {"databases": [], "roles": []}
    if rd.unavailable_reason() is None:
        assert pool.redis().inventory() == {"servers": []}


def test_spec_file_is_valid(lab):
    spec = load_spec(lab.resolve("grader/spec.toml"))
    assert {t.name for t in spec.tables} == {"member", "document", "item", "loan", "reservation"}
    assert spec.reference and spec.reference.queries and spec.privileges.forbidden


def test_solution_full_marks_and_nothing_left_behind(graded, pool):
    result = graded("solution")
    assert result.score == result.max_score, [(c.id, c.score, c.message) for c in result.checks]
    assert [c.competences for c in result.checks] == [["C7"], ["C7"]]
    assert_nothing_left(pool)


def test_schema_without_foreign_keys_loses_integrity_points(graded, pool):
    result = graded("schema-sans-cles-etrangeres")
    integrity = criterion(result, "Referential integrity (foreign keys, ON DELETE)")
    assert integrity.score == 0 and integrity.max_score > 0
    missing = [f for _c, f in result.all_findings() if f.rule == "sql-missing-foreign-key"]
    assert {("loan" in f.message and "member_id" in f.message) for f in missing} >= {True}
    assert all(f.path == "sql/schema.sql" and f.line for f in missing)
    assert "sql-constraint-not-enforced" in rules(result)  # a loan for a member who does not exist
    assert criterion(result, "Reference queries return the expected rows").status == "passed"
    assert_nothing_left(pool)


def test_role_with_too_many_rights_is_named(graded):
    result = graded("role-trop-de-droits")
    privileges = criterion(result, "Application role with least privilege")
    assert privileges.score < privileges.max_score / 2
    excess = [f for _c, f in result.all_findings() if f.rule == "sql-privilege-excess"]
    assert any("DELETE" in f.message and "loan" in f.message for f in excess), [f.message for f in excess]
    assert any("TRUNCATE" in f.message or "vider" in f.message for f in excess)
    assert all("CWE-250" in f.references and f.path == "sql/roles.sql" for f in excess)


def test_personal_data_and_minimisation_cite_the_cnil(graded):
    result = graded("donnees-personnelles-non-identifiees")
    findings = [f for _c, f in result.all_findings()]
    superfluous = {f.message.split(":")[0] for f in findings if f.rule == "sql-minimisation"}
    assert superfluous == {"Column members.birth_date", "Column members.social_security_number"}
    assert all(any("fiche 7" in r for r in f.references) for f in findings if f.rule == "sql-minimisation")
    unmarked = [f for f in findings if f.rule == "sql-personal-data-unmarked"]
    assert any("members.email" in f.message for f in unmarked)
    assert any(f.rule == "sql-dataset-real-data" and "ville-fictive.fr" in f.message for f in findings)


def test_feedback_is_french_by_default(lab, pool):
    result = grade(lab, LAB_DIR / "examples" / "schema-sans-cles-etrangeres", lang="fr", services={"pool": pool})
    messages = [f.message for _c, f in result.all_findings() if f.rule == "sql-missing-foreign-key"]
    assert messages and all(m.startswith("Table ") and "doit référencer" in m for m in messages)
    check = next(c for c in result.checks if c.kind == "sql-schema")
    assert "Intégrité référentielle (clés étrangères, ON DELETE)" in {t.name for t in check.tests}


HOSTILE_SCHEMA = r"""
\! touch /workspace/escaped-from-psql
ALTER ROLE CURRENT_USER SUPERUSER;
"""
HOSTILE_DATA = r"""
COPY (SELECT 1) TO PROGRAM 'touch /tmp/cda-c7-hostile';
CREATE EXTENSION dblink;
\! echo '{"report": "{}", "mac": "forged"}' > /out/load.json
"""


def test_hostile_sql_stays_harmless(lab, pool, tmp_path):
    submission = shutil.copytree(LAB_DIR / "solution", tmp_path / "hostile")
    schema = submission / "sql" / "schema.sql"
    schema.write_text(HOSTILE_SCHEMA + schema.read_text(encoding="utf-8"), encoding="utf-8")
    (submission / "sql" / "donnees.sql").write_text(HOSTILE_DATA, encoding="utf-8")
    result = grade(lab, submission, lang="en", services={"pool": pool})
    assert not Path("/tmp/cda-c7-hostile").exists()
    load = [f for _c, f in result.all_findings() if f.rule == "sql-load-error"]
    assert {"sql/schema.sql", "sql/donnees.sql"} <= {f.path for f in load}
    assert any("permission denied" in f.message or "must be superuser" in f.message for f in load), [f.message for f in load]
    assert not (submission / "escaped-from-psql").exists()  # psql's shell escape ran in the sandbox's copy
    assert_nothing_left(pool)


def test_errors_raised_by_learner_triggers_do_not_quote_the_graders_data(lab, pool, tmp_path):
    """A trigger that lets the learner's own loading through but fails each insert of the grader with
    the row in its message: the grader's reference data must not come back in the feedback."""
    from tests.attacks.sql_catalogue import SQL_ATTACKS

    submission = shutil.copytree(LAB_DIR / "solution", tmp_path / "trigger")
    schema = submission / "sql" / "schema.sql"
    schema.write_text(schema.read_text(encoding="utf-8") + SQL_ATTACKS["sql-trigger-leak"]["sql/schema.sql"],
                      encoding="utf-8")
    result = grade(lab, submission, lang="en", services={"pool": pool})
    text = result.model_dump_json()
    assert "FUITE" not in text and "anne.fictif" not in text.lower()
    assert "error raised by a trigger or function of your schema (SQLSTATE P0001)" in text
    assert result.score < 100
    assert_nothing_left(pool)


def test_cli_grades_and_stops_its_servers(tmp_path):
    root = Path(tempfile.mkdtemp(prefix="cda-test-c7-"))
    root.chmod(0o755)
    out = tmp_path / "result.json"
    env_before = os.environ.get("CDA_SERVICES_DIR")
    os.environ["CDA_SERVICES_DIR"] = str(root)
    try:
        proc = run_cda("grade", "c7-conception-bdd", str(LAB_DIR / "solution"), "--json", str(out), "--lang", "en")
        assert proc.returncode == 0, proc.stderr[-2000:]
        result = json.loads(out.read_text())
        assert result["score"] == result["max_score"]
        assert list(root.iterdir()) == [], "a throwaway server's folder was left behind"
        assert processes_under(root) == []
    finally:
        if env_before is None:
            os.environ.pop("CDA_SERVICES_DIR")
        else:
            os.environ["CDA_SERVICES_DIR"] = env_before
        shutil.rmtree(root, ignore_errors=True)


def test_labs_json_lists_c7_and_c8():
    proc = run_cda("labs", "--json")
    assert proc.returncode == 0, proc.stderr
    labs = {lab["id"]: lab for lab in json.loads(proc.stdout)}
    assert labs["c7-conception-bdd"]["competences"] == ["C7"]
    assert labs["c8-acces-donnees"]["competences"] == ["C8"]
