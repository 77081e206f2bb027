"""The checks of the deployment lab (c10-deploiement) on their own: runbook sections, the security
watch against the OSV snapshot, bats' TAP and mutants, shellcheck's directives. The whole lab
(scenario on a real PostgreSQL, bats and shellcheck in the sandbox) runs in tests/test_labs.py."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from graders.checks.bats_check import parse_tap, score
from graders.checks.runbook_check import RunbookOptions, blocks, grade_runbook
from graders.checks.security_watch import grade_watch, load_answers, load_snapshot, parse_watch
from graders.checks.shellcheck_check import strip_directives
from graders.labs import discover_labs
from tests.helpers import REPO

LAB = REPO / "labs" / "c10-deploiement"


def _(text: str) -> str:
    return text


@pytest.fixture(scope="module")
def lab():
    return next(lab for lab in discover_labs() if lab.id == "c10-deploiement")


def runbook_options(lab, check_id: str) -> RunbookOptions:
    spec = next(spec for spec in lab.manifest.checks if spec.id == check_id)
    return lab.options_of(spec)


# --- runbook ------------------------------------------------------------------------------------

def test_headings_cover_their_subsections_and_skip_code_fences():
    text = "# T\n## A\nun deux\n### A1\ntrois\n```\n# pas un titre\n```\n## B\nquatre\n"
    found = {b.title: b.body for b in blocks(text)}
    assert set(found) == {"T", "A", "A1", "B"}
    assert "trois" in found["A"] and "quatre" not in found["A"] and "pas un titre" in found["A1"]


def test_the_solution_runbook_has_every_section(lab):
    text = (LAB / "solution" / "DEPLOIEMENT.md").read_text(encoding="utf-8")
    for check_id in ("procedure", "environnements"):
        opts = runbook_options(lab, check_id)
        assert grade_runbook(text, opts.sections, opts.required_cap, "DEPLOIEMENT.md", _) == (1.0, [])


def test_a_runbook_without_rollback_is_capped(lab):
    text = (LAB / "examples" / "runbook-sans-retour-arriere" / "DEPLOIEMENT.md").read_text(encoding="utf-8")
    opts = runbook_options(lab, "procedure")
    fraction, findings = grade_runbook(text, opts.sections, opts.required_cap, "DEPLOIEMENT.md", _)
    assert fraction == opts.required_cap
    assert [(f.rule, f.severity) for f in findings] == [("runbook-missing-section", "high")]


def test_a_thin_section_or_a_missing_mention_earns_half(lab):
    opts = runbook_options(lab, "procedure")
    rollback = next(s for s in opts.sections if s.name == "Retour arrière")
    short = "## Retour arrière\nLancer rollback.sh.\n"
    assert grade_runbook(short, [rollback], 0.4, "D.md", _)[0] == 0.5
    long_without_script = "## Retour arrière\n" + "on revient à la version précédente avec la sauvegarde " * 6
    fraction, findings = grade_runbook(long_without_script, [rollback], 0.4, "D.md", _)
    assert fraction == 0.5 and findings[0].rule == "runbook-section-incomplete"


# --- security watch -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def snapshot():
    return load_snapshot(LAB / "starter" / "veille" / "osv"), load_answers(LAB / "grader" / "veille_attendue.toml")


def test_every_expected_answer_is_an_advisory_of_the_snapshot(snapshot):
    index, answers = snapshot
    assert {a.id for a in answers.advisories} <= set(index.values())
    assert index["CVE-2023-4911"] == "DSA-5514-1" and index["PYSEC-2023-221"] == "GHSA-hrfv-mqp8-q5rw"


def test_the_solution_watch_is_right(snapshot):
    index, answers = snapshot
    parsed = parse_watch((LAB / "solution" / "VEILLE.md").read_text(encoding="utf-8"), index)
    assert grade_watch(parsed, answers, 4, "VEILLE.md", _) == (1.0, [])


def test_the_starter_watch_earns_nothing(snapshot):
    index, answers = snapshot
    parsed = parse_watch((LAB / "starter" / "VEILLE.md").read_text(encoding="utf-8"), index)
    fraction, findings = grade_watch(parsed, answers, 4, "VEILLE.md", _)
    assert fraction == 0.0
    assert sum(f.rule == "watch-missing-advisory" for f in findings) == 7


def test_a_wrong_decision_is_named_with_the_reason(snapshot):
    index, answers = snapshot
    text = ("| Avis | Composant | Décision | Justification |\n|---|---|---|---|\n"
            "| CVE-2023-38545 | curl | Mettre à jour | curl est une dépendance système à corriger |\n"
            "| GHSA-w3h3-4rj7-4ph4 | gunicorn | Non concerné | nous utilisons gunicorn derrière nginx |\n"
            "| CVE-2099-0001 | inventé | Non concerné | avis qui n'existe pas dans l'instantané |\n")
    parsed = parse_watch(text, index)
    assert [row.ids for row in parsed.rows[:2]] == [{"DEBIAN-CVE-2023-38545"}, {"GHSA-w3h3-4rj7-4ph4"}]
    _fraction, findings = grade_watch(parsed, answers, 4, "VEILLE.md", _)
    wrong = {f.message.split(":")[0] for f in findings if f.rule == "watch-wrong-decision"}
    assert wrong == {"Advisory DEBIAN-CVE-2023-38545", "Advisory GHSA-w3h3-4rj7-4ph4"}
    assert any(f.rule == "watch-unknown-advisory" and "CVE-2099-0001" in f.message for f in findings)


def only(answers, advisory: str):
    """The answers restricted to one advisory, with no inventory."""
    return answers.model_copy(update={"components": [], "advisories": [a for a in answers.advisories
                                                                       if a.id == advisory]})


def test_a_right_decision_without_justification_earns_half(snapshot):
    index, answers = snapshot
    bare = parse_watch("| Avis | Décision |\n|---|---|\n| DSA-5514-1 | Mettre à jour |\n", index)
    assert grade_watch(bare, only(answers, "DSA-5514-1"), 4, "VEILLE.md", _)[0] == 0.5


def test_an_optional_advisory_listed_wrongly_costs(snapshot):
    index, answers = snapshot
    wrong = parse_watch("| GHSA-xg9f-g7g7-2323 | werkzeug | Mettre à jour | la version 2.2.3 serait concernée |\n", index)
    assert grade_watch(wrong, only(answers, "GHSA-xg9f-g7g7-2323"), 4, "VEILLE.md", _)[0] == 0.0


# --- bats ---------------------------------------------------------------------------------------

def test_tap_results_are_read_with_their_names():
    planned, results = parse_tap("1..3\nok 1 usage\nnot ok 2 bascule\n# (in test file t.bats, line 4)\nok 3 - rollback # skip\n")
    assert planned == 3 and results == {"usage": True, "bascule": False, "rollback": True}


def test_a_mutant_is_caught_only_by_a_test_that_passed_before():
    original = {"a": True, "b": False, "c": True, "d": True}
    fraction, caught = score(4, original, [{"a": True, "b": False, "c": True, "d": True},
                                           {"a": False, "b": False, "c": True, "d": True}], 4)
    assert caught == [False, True]
    assert fraction == pytest.approx(0.5 * 3 / 4 + 0.5 * 1 / 2)


def test_too_few_tests_cannot_earn_everything():
    assert score(1, {"seul": True}, [], 4)[0] == 0.25


@pytest.mark.skipif(shutil.which("bats") is None, reason="bats is not installed (apt install bats)")
def test_the_solution_bats_tests_pass_and_catch_both_mutants(tmp_path):
    work = tmp_path / "copie"
    shutil.copytree(LAB / "solution", work, ignore=shutil.ignore_patterns("app", "migrations", "veille"))
    run = subprocess.run(["bats", "--tap", "tests"], cwd=work, capture_output=True, text=True, timeout=120)
    _planned, original = parse_tap(run.stdout)
    assert len(original) >= 4 and all(original.values()), run.stdout + run.stderr
    for script in ("deploy.sh", "rollback.sh"):
        shutil.copyfile(LAB / "grader" / "mutants" / script.replace(".sh", "-inerte.sh"), work / script)
        mutant = parse_tap(subprocess.run(["bats", "--tap", "tests"], cwd=work, capture_output=True, text=True,
                                          timeout=120).stdout)[1]
        assert not all(mutant.values()), f"the solution's tests do not catch the inert {script}"
        shutil.copyfile(LAB / "solution" / script, work / script)


# --- shellcheck ---------------------------------------------------------------------------------

def test_shellcheck_directives_are_blanked_line_for_line():
    text = "#!/bin/bash\n# shellcheck disable=SC2086\necho $x\n  #shellcheck disable=all\n"
    assert strip_directives(text) == "#!/bin/bash\n#\necho $x\n#\n"


# --- docker-image (the build itself runs in tests/test_labs.py, on the engine) ---------------------

def test_base_images_are_the_registry_ones_only():
    from graders.checks.docker_image_check import base_images

    text = ("FROM python:3.11-slim AS construction\nRUN true\nFROM construction AS tests\n"
            "FROM --platform=linux/amd64 redis:7\nFROM scratch\n")
    assert base_images(text) == ["python:3.11-slim", "redis:7"]


def test_an_image_user_is_root_unless_named_otherwise():
    from graders.checks.docker_image_check import is_root

    assert is_root("") and is_root("0:0") and is_root("root")
    assert not is_root("10001:10001") and not is_root("mediatheque")
