"""The `test-plan` check (lab c9-plan-de-tests): the plan against the lab's features, its security part,
and the report against a rerun (the seeded-bugs baseline, faked here: no sandbox, a few milliseconds)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from graders.blocking import load_flaws
from graders.checks import seeded_bugs
from graders.checks.test_plan import TestPlanCheck, TestPlanOptions
from graders.checks.test_plan_files import outcome_of, read_junit, read_plan, read_report
from graders.labs import BadInput, load_lab
from tests.helpers import REPO

LAB = REPO / "labs" / "c9-plan-de-tests"
SOLUTION = LAB / "solution"


@pytest.fixture(scope="module")
def lab():
    return load_lab(LAB)


def submission(tmp_path: Path, plan: str | None = None, report: str | None = None) -> Path:
    work = Path(shutil.copytree(SOLUTION, tmp_path / "work"))
    if plan is not None:
        (work / "plan_de_tests.toml").write_text(plan, encoding="utf-8")
    if report is not None:
        (work / "rapport_de_tests.md").write_text(report, encoding="utf-8")
    return work


def grade_part(lab, check_id: str, work: Path):
    spec = next(c for c in lab.manifest.checks if c.id == check_id)
    ctx = SimpleNamespace(_=lambda s: s, workspace=work, lab=lab, spec=spec)
    return TestPlanCheck(lab.options_of(spec)).run(ctx)


def without_feature(plan: str, fid: str) -> str:
    start = plan.index(f'[[fonctionnalites]]\nid = "{fid}"')
    end = plan.index("[[fonctionnalites]]", start + 5)
    return plan[:start] + plan[end:]


def test_the_solution_plan_covers_every_feature_and_its_security(lab, tmp_path):
    work = submission(tmp_path)
    assert grade_part(lab, "plan-couverture", work).fraction == 1.0
    outcome = grade_part(lab, "plan-securite", work)
    assert (outcome.fraction, outcome.findings) == (1.0, [])


def test_an_uncovered_feature_is_named(lab, tmp_path):
    plan = without_feature((SOLUTION / "plan_de_tests.toml").read_text(encoding="utf-8"), "EX-02")
    outcome = grade_part(lab, "plan-couverture", submission(tmp_path, plan=plan))
    missing = [f for f in outcome.findings if f.rule == "feature-not-covered"]
    assert [f.references for f in missing] == [["EX-02"]] and "EX-02" in missing[0].message
    assert outcome.fraction == pytest.approx(11 / 12)


def test_an_untyped_or_unprioritised_case_does_not_cover_its_feature(lab, tmp_path):
    plan = (SOLUTION / "plan_de_tests.toml").read_text(encoding="utf-8")
    plan = plan.replace('type = "integration"\npriorite = "moyenne"\nentrees = "search(\'a\', \'bd\')',
                        'type = "fonctionnel"\nentrees = "search(\'a\', \'bd\')')
    outcome = grade_part(lab, "plan-couverture", submission(tmp_path, plan=plan))
    rules = sorted(f.rule for f in outcome.findings)
    assert rules == ["feature-not-covered", "test-case-incomplete"]
    incomplete = next(f for f in outcome.findings if f.rule == "test-case-incomplete")
    assert "CT-02-1" in incomplete.message and "type" in incomplete.message and "priority" in incomplete.message


def test_accents_are_accepted_in_types_and_an_unknown_feature_costs(lab, tmp_path):
    plan = (SOLUTION / "plan_de_tests.toml").read_text(encoding="utf-8").replace('type = "securite"', 'type = "Sécurité"')
    plan += '\n[[fonctionnalites]]\nid = "EX-99"\n'
    outcome = grade_part(lab, "plan-couverture", submission(tmp_path, plan=plan))
    assert [f.references for f in outcome.findings] == [["EX-99"]]
    assert grade_part(lab, "plan-securite", submission(tmp_path / "b", plan=plan)).fraction == 1.0


def test_a_plan_without_security_case_nor_evolution(lab, tmp_path):
    plan = (SOLUTION / "plan_de_tests.toml").read_text(encoding="utf-8").replace('type = "securite"', 'type = "integration"')
    plan = plan[:plan.index("# Évolutions")]
    outcome = grade_part(lab, "plan-securite", submission(tmp_path, plan=plan))
    assert outcome.fraction == 0.0
    assert sorted((f.rule, tuple(f.references)) for f in outcome.findings) == [
        ("evolutions-missing", ()), ("no-security-case", ()), ("security-case-missing", ("EX-07",)),
        ("security-case-missing", ("EX-09",))]


def test_an_evolution_naming_unknown_cases_does_not_count(lab, tmp_path):
    plan = (SOLUTION / "plan_de_tests.toml").read_text(encoding="utf-8")
    plan = plan[:plan.index("# Évolutions")] + '[[evolutions]]\nevenement = "PostgreSQL 16"\ncas = ["CT-77"]\n'
    outcome = grade_part(lab, "plan-securite", submission(tmp_path, plan=plan))
    assert [f.rule for f in outcome.findings] == ["evolutions-missing"] and outcome.fraction == pytest.approx(2 / 3)


def test_missing_or_invalid_plan(lab, tmp_path):
    work = submission(tmp_path)
    (work / "plan_de_tests.toml").unlink()
    assert [f.rule for f in grade_part(lab, "plan-couverture", work).findings] == ["test-plan-missing"]
    (work / "plan_de_tests.toml").write_text("[[fonctionnalites]\n", encoding="utf-8")
    outcome = grade_part(lab, "plan-securite", work)
    assert outcome.fraction == 0.0 and [f.rule for f in outcome.findings] == ["test-plan-invalid"]


JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.test_regles" name="test_a" /><testcase classname="tests.test_regles" name="test_p[1]" />
<testcase classname="tests.test_regles" name="test_p[2]"><failure message="x" /></testcase>
<testcase classname="tests.test_web.TestPages" name="test_b" /><testcase classname="tests.test_web" name="test_s">
<skipped /></testcase></testsuite></testsuites>"""


def test_junit_outcomes_by_plan_test_id():
    junit = read_junit(JUNIT)
    assert outcome_of("tests/test_regles.py::test_a", junit) == "passed"
    assert outcome_of("test_regles.py::test_a", junit) == "passed"
    assert outcome_of("tests/test_regles.py::test_p", junit) == "failed"  # one parameter case failed
    assert outcome_of("tests/test_web.py::TestPages::test_b", junit) == "passed"
    assert outcome_of("tests/test_web.py::test_s", junit) == "skipped"
    assert outcome_of("tests/test_regles.py::test_absent", junit) is None
    assert read_junit("<not xml") == {} and read_junit(None) == {}


def test_junit_with_entities_is_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><testsuites><testcase classname="t" name="&a;"/></testsuites>'
    assert read_junit(bomb) == {}


def test_report_rows_and_environment(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("# Rapport\n## Environnement de tests\nPostgreSQL 15 et Redis 7.\n## Résultats\n"
                    "| Cas | Statut |\n|---|---|\n| CT-1 | **Réussi** |\n| `CT-2` | Échoué |\n| CT-3 | à faire |\n"
                    "| CT-9 | réussi |\n", encoding="utf-8")
    report = read_report(path, {"CT-1", "CT-2", "CT-3"})
    assert report.results == {"CT-1": "passed", "CT-2": "failed"}
    assert "postgresql" in report.environment and "redis" in report.environment
    assert read_report(tmp_path / "absent.md", set()).missing


def fake_baseline(monkeypatch, junit: str, code: int = 0):
    monkeypatch.setattr(seeded_bugs, "baseline_run", lambda ctx, options: seeded_bugs.VariantRun(code, "", junit))


def solution_junit(fail: str | None = None, skip: tuple[str, ...] = ()) -> str:
    plan = read_plan(SOLUTION / "plan_de_tests.toml")
    rows = []
    for case in plan.cases:
        path, name = case.test.split("::")
        if name in skip:
            continue
        cls = path.removesuffix(".py").replace("/", ".")
        body = '<failure message="assert"/>' if name == fail else ""
        rows.append(f'<testcase classname="{cls}" name="{name}">{body}</testcase>')
    return "<testsuites><testsuite>" + "".join(rows) + "</testsuite></testsuites>"


def test_report_consistent_with_the_rerun(lab, tmp_path, monkeypatch):
    fake_baseline(monkeypatch, solution_junit())
    outcome = grade_part(lab, "rapport", submission(tmp_path))
    assert outcome.fraction == 1.0 and outcome.findings == []
    assert [(t.name, t.criteria, t.status) for t in outcome.tests] == [
        ("environnement", ["C9.2"], "passed"), ("execution-du-plan", ["C9.3"], "passed"),
        ("resultats-obtenus", ["C9.4"], "passed")]


def test_a_report_claiming_a_pass_the_rerun_does_not_give_is_unfaithful(lab, tmp_path, monkeypatch):
    fake_baseline(monkeypatch, solution_junit(fail="test_quota_atteint", skip=("test_penalites_de_retard",)), code=1)
    outcome = grade_part(lab, "rapport", submission(tmp_path))
    inconsistent = [f for f in outcome.findings if f.rule == "result-inconsistent"]
    assert sorted(f.message.split(":")[0] for f in inconsistent) == ["Case CT-12-2", "Case CT-16-1"]
    assert {load_flaws().flaw_of(f) for f in inconsistent} == {"unfaithful-test-report"}
    assert {"tests-fail-on-reference", "case-not-executed"} <= {f.rule for f in outcome.findings}
    scores = {t.name: t.score / t.max_score for t in outcome.tests}
    assert scores["execution-du-plan"] == pytest.approx(24 / 25) and scores["resultats-obtenus"] == pytest.approx(23 / 25)
    assert scores["environnement"] == pytest.approx(2 / 3, abs=1e-3)


def test_a_report_without_environment_section(lab, tmp_path, monkeypatch):
    fake_baseline(monkeypatch, solution_junit())
    text = (SOLUTION / "rapport_de_tests.md").read_text(encoding="utf-8").replace("## Environnement de tests", "## Notes")
    outcome = grade_part(lab, "rapport", submission(tmp_path, report=text))
    assert [f.rule for f in outcome.findings] == ["environment-undescribed"]


def test_the_report_part_needs_a_seeded_bugs_run(tmp_path):
    with pytest.raises(ValueError, match="run"):
        TestPlanOptions(part="report", features=["EX-01"])
    lab_dir = Path(shutil.copytree(LAB, tmp_path / "c9-plan-de-tests", ignore=shutil.ignore_patterns("examples")))
    (lab_dir / "lab.toml").write_text((lab_dir / "lab.toml").read_text(encoding="utf-8").replace(
        'run = "bugs-semes"', 'run = "plan-couverture"'), encoding="utf-8")
    with pytest.raises(BadInput, match="no seeded-bugs check"):
        load_lab(lab_dir)
