"""Every lab against the reference médiathèque (course/mediatheque/): table names, rule constants,
document kinds, no full birth date, and derived files that regenerate unchanged.

A lab listed in drift.PENDING does not derive from the reference yet: the test checks it still
drifts, so that the list stays true (fix the lab, then remove it from PENDING).
"""

from __future__ import annotations

import shutil

import pytest

from course.mediatheque import derive, drift
from tests.helpers import REPO

LABS = sorted(p.name for p in (REPO / "labs").iterdir() if (p / "lab.toml").is_file())


def test_the_reference_schema_is_read_from_its_migrations():
    assert drift.reference_tables() == {"members", "documents", "items", "loans", "reservations"}
    rules = drift.reference_rules()
    assert (rules["MAX_LOANS_ADULT"], rules["MAX_LOANS_MINOR"], rules["LOAN_DAYS"]["livre"]) == (5, 3, 21)


def test_the_parser_reads_every_way_sql_names_a_table():
    sql = """
    CREATE TABLE a (id int REFERENCES b (id)); CREATE UNIQUE INDEX i ON c (x); COMMENT ON COLUMN d.x IS 'y';
    INSERT INTO e (x) VALUES (1); UPDATE f SET x = 1; DELETE FROM g; TRUNCATE h, k; ALTER TABLE ONLY m ADD x int;
    GRANT SELECT, UPDATE ON n, public.o TO app; GRANT USAGE ON SCHEMA public TO app;
    WITH RECURSIVE jours(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM jours)
    SELECT extract(year FROM p.due_on) FROM p JOIN "q" ON q.id = p.id, generate_series(1, 3), lateral unnest(x)
    """
    assert drift.tables_in_sql(sql) == set("abcdefghmnopq")


def test_the_parser_reads_the_columns_of_create_table():
    sql = """CREATE TABLE a (id int PRIMARY KEY, "Nom" text CHECK (x IN (1, 2)), n numeric(5, 2),
             CONSTRAINT c CHECK (n > 0), UNIQUE (id, n)); ALTER TABLE a ADD COLUMN z date;"""
    assert drift.columns_in_sql(sql) == {"a": {"id", "nom", "n", "z"}}


def test_the_parser_reads_sql_in_python_strings_only():
    source = 'from mediatheque import x\nQ = "SELECT id FROM loan WHERE x = %s"\nf"UPDATE {t} SET a = 1"\n'
    assert drift.tables_in_sql(" ".join(drift.sql_strings_in_python(source))) == {"loan"}


@pytest.mark.parametrize("lab", [lab for lab in LABS if lab not in drift.PENDING])
def test_lab_agrees_with_the_reference(lab):
    assert drift.problems(REPO / "labs" / lab) == []


def test_every_pending_lab_still_drifts():  # a loop, not a parametrization: PENDING is empty today
    agreeing = [lab for lab in drift.PENDING if not drift.problems(REPO / "labs" / lab)]
    assert agreeing == [], f"{agreeing} agree with the reference now: remove them from drift.PENDING"


@pytest.mark.parametrize("lab", sorted(derive.DERIVED))
def test_regenerating_a_derived_lab_changes_nothing(lab):
    assert derive.differing(lab) == [], "run: python -m course.mediatheque.derive " + lab


def test_every_lab_is_derived_or_pending_or_names_no_table():
    for lab in LABS:
        assert lab in derive.DERIVED or lab in drift.PENDING or not any(
            drift.lab_tables(REPO / "labs" / lab).values()), lab


@pytest.fixture
def labs_copy(tmp_path):
    shutil.copytree(REPO / "labs" / "c8-acces-donnees", tmp_path / "c8-acces-donnees")
    return tmp_path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_table_renamed_by_hand_is_caught(labs_copy):
    lab = labs_copy / "c8-acces-donnees"
    assert drift.problems(lab) == []
    edit(lab / "solution" / "mediatheque" / "repositories.py", "UPDATE loans SET", "UPDATE loan SET")
    assert drift.problems(lab) == [
        "c8-acces-donnees/solution/mediatheque/repositories.py: tables ['loan'] not in the reference schema "
        "['documents', 'items', 'loans', 'members', 'reservations']"]


def test_a_rule_changed_by_hand_is_caught(labs_copy):
    lab = labs_copy / "c8-acces-donnees"
    edit(lab / "solution" / "mediatheque" / "repositories.py", "MAX_ACTIVE_LOANS = 5", "MAX_ACTIVE_LOANS = 6")
    edit(lab / "grader" / "tests" / "seed.sql", "'livre', 1943", "'vinyle', 1943")  # not a kind check: data
    edit(lab / "starter" / "db" / "schema.sql", "'bd', ", "'manga', 'bd', ")
    assert drift.problems(lab) == [
        "c8-acces-donnees/solution/mediatheque/repositories.py: MAX_ACTIVE_LOANS = 6 ≠ reference MAX_LOANS_ADULT = 5",
        "c8-acces-donnees/starter/db/schema.sql: document kinds ['manga'] not in "
        "('livre', 'bd', 'cd', 'dvd', 'revue')"]


def test_a_derived_file_edited_by_hand_is_caught(labs_copy):
    lab = labs_copy / "c8-acces-donnees"
    assert derive.differing("c8-acces-donnees", labs=labs_copy) == []
    edit(lab / "starter" / "db" / "schema.sql", "CREATE TABLE members (", "CREATE TABLE adherents (")
    edit(lab / "starter" / "db" / "schema.sql", "    barcode text", "    cote text")
    edit(lab / "solution" / "mediatheque" / "validation.py", "MAX_TEXT = 100", "MAX_TEXT = 200")
    assert derive.differing("c8-acces-donnees", labs=labs_copy) == [
        lab / "starter" / "db" / "schema.sql", lab / "solution" / "mediatheque" / "validation.py"]
    problems = drift.problems(lab)
    assert any("tables ['adherents']" in line for line in problems)
    assert "c8-acces-donnees/starter/db/schema.sql: columns ['cote'] of items not in the reference" in problems


def test_a_full_birth_date_is_caught(labs_copy):
    lab = labs_copy / "c8-acces-donnees"
    edit(lab / "starter" / "db" / "schema.sql", "birth_year smallint", "birth_date date")
    assert drift.problems(lab) == [
        "c8-acces-donnees/starter/db/schema.sql: a full birth date (the reference keeps the birth year)",
        "c8-acces-donnees/starter/db/schema.sql: columns ['birth_date'] of members not in the reference"]


def test_derive_command_checks_and_rejects_unknown_labs(capsys):
    assert derive.main(["--check"]) == 0
    assert derive.main(["no-such-lab"]) == 2
    assert "not a derived lab: no-such-lab" in capsys.readouterr().err


def test_a_consent_duration_changed_by_hand_is_caught(tmp_path):
    shutil.copytree(REPO / "labs" / "web-rgpd-consentement", tmp_path / "web-rgpd-consentement")
    lab = tmp_path / "web-rgpd-consentement"
    assert drift.problems(lab) == []  # its starter's 2-year cookies are the exercise (drift.MISTAKES)
    edit(lab / "solution" / "mediatheque" / "__init__.py", "DUREE_CHOIX = 180 *", "DUREE_CHOIX = 365 *")
    assert drift.problems(lab) == ["web-rgpd-consentement/solution/mediatheque/__init__.py: DUREE_CHOIX = 31536000 "
                                   "≠ reference CONSENT_KEPT_S = 15552000"]


def test_a_notebook_rule_changed_by_hand_is_caught(tmp_path):
    shutil.copytree(REPO / "labs" / "nb-c3-regles-metier", tmp_path / "nb-c3-regles-metier")
    lab = tmp_path / "nb-c3-regles-metier"
    assert drift.problems(lab) == [] and derive.differing("nb-c3-regles-metier", labs=tmp_path) == []
    source = lab / "grader" / "regles_metier.ipynb"
    edit(source, '\\"cd\\": 14, ', "")  # the rules cell, derived from the reference
    edit(source, "QUOTA_MINEUR = 3", "QUOTA_MINEUR = 4")
    edit(source, "    annee_naissance: int | None", "    date_naissance: date")
    assert derive.differing("nb-c3-regles-metier", labs=tmp_path) == [source]
    durations = "{'livre': 21, 'bd': 14, 'cd': 14, 'dvd': 7, 'revue': 7}"
    assert drift.problems(lab) == [
        f"nb-c3-regles-metier/grader/regles_metier.ipynb: DUREES has no duration for ['cd'] (reference durations "
        f"{durations})",
        "nb-c3-regles-metier/grader/regles_metier.ipynb: QUOTA_MINEUR = 4 ≠ reference MAX_LOANS_MINOR = 3",
        "nb-c3-regles-metier/grader/regles_metier.ipynb: a full birth date (the reference keeps the birth year)"]


def test_a_web_lab_edited_by_hand_is_caught(tmp_path):
    """The web labs' data layer and database come from the reference: a renamed table shows twice."""
    shutil.copytree(REPO / "labs" / "web-rgpd-consentement", tmp_path / "web-rgpd-consentement")
    lab = tmp_path / "web-rgpd-consentement"
    assert derive.differing("web-rgpd-consentement", labs=tmp_path) == []
    edit(lab / "examples" / "refus-cache" / "mediatheque" / "repositories.py", "DELETE FROM reservations",
         "DELETE FROM reservation")
    edit(lab / "solution" / "db" / "mediatheque.sql", "INSERT INTO loans (", "INSERT INTO prets (")
    edit(lab / "examples" / "refus-cache" / "mediatheque" / "__init__.py", "DUREE_CHOIX = 180 *", "DUREE_CHOIX = 365 *")
    assert derive.differing("web-rgpd-consentement", labs=tmp_path) == [
        lab / "solution" / "db" / "mediatheque.sql", lab / "examples" / "refus-cache" / "mediatheque" / "repositories.py",
        lab / "examples" / "refus-cache" / "mediatheque" / "__init__.py"]
    problems = drift.problems(lab)
    assert "web-rgpd-consentement/solution/db/mediatheque.sql: tables ['prets'] not in the reference schema " \
           "['documents', 'items', 'loans', 'members', 'reservations']" in problems
    assert any(line.startswith("web-rgpd-consentement/examples/refus-cache/mediatheque/repositories.py: tables "
                               "['reservation']") for line in problems)


def test_the_rules_a_lab_keeps_are_stated_with_the_reference_values(labs_copy):
    """c8 keeps a subset of REGLES.md: its statement says which, with rules.py's numbers (derived)."""
    lab = labs_copy / "c8-acces-donnees"
    statement = (lab / "README.md").read_text(encoding="utf-8")
    kept = statement.split("appliquées dans ce lab :")[1].split("Pas dans ce lab")[0]
    assert "5 prêts en cours au plus" in kept and "21 jours" in kept and "quota des mineurs : 3 prêts" in statement
    edit(lab / "README.md", "- 5 prêts en cours au plus", "- 6 prêts en cours au plus")
    assert derive.differing("c8-acces-donnees", labs=labs_copy) == [lab / "README.md"]
