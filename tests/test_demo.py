"""`make demo`: every reference submission graded, a dashboard and JSON results written."""

import json

import pytest

from graders.browser import axe_audit
from graders.demo import run_demo
from graders.labs import load_lab
from tests.helpers import FIXTURE_LABS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    output = tmp_path_factory.mktemp("demo")
    on_target = run_demo(output, "fr", labs=[load_lab(FIXTURE_LABS / "mini-lab")])
    return output, on_target


def test_demo_grades_solution_starter_and_examples(demo):
    output, on_target = demo
    assert on_target
    results = {p.stem: json.loads(p.read_text()) for p in output.glob("*.json")}
    assert set(results) == {"mini-lab--solution", "mini-lab--starter", "mini-lab--examples-partial"}
    assert results["mini-lab--solution"]["score"] == results["mini-lab--solution"]["max_score"]
    assert all((output / f"{name}.html").is_file() for name in results)


def test_demo_reports_an_example_off_target(tmp_path):
    import shutil

    lab_dir = shutil.copytree(FIXTURE_LABS / "mini-lab", tmp_path / "mini-lab")
    manifest = lab_dir / "lab.toml"
    manifest.write_text(manifest.read_text().replace("expected_pct = [30, 70]", "expected_pct = [90, 100]"))
    assert run_demo(tmp_path / "out", "fr", labs=[load_lab(lab_dir)]) is False


@pytest.mark.browser
def test_dashboard_passes_its_own_axe_audit(demo, page):
    output, _ = demo
    page.goto((output / "index.html").as_uri())
    assert axe_audit(page) == []
    page.goto((output / "mini-lab--examples-partial.html").as_uri())
    assert axe_audit(page) == []


def test_an_example_must_name_its_expected_blocking_flaw():
    from graders.demo import Target
    from graders.results import BlockingFlaw, CriterionResult, Result

    lab = load_lab(FIXTURE_LABS / "mini-lab")
    target = Target(lab, "examples/x", lab.path, 0, 100, verdicts={"C8.3": "not-acquired"}, blocking=["injection"])
    criterion = CriterionResult(id="C8.3", competence="C8", verdict="not-acquired")
    by_points = Result(lab=lab.id, status="graded", criteria=[criterion])
    assert target.misses(by_points) == ["blocking flaw injection not named"]
    flaw = BlockingFlaw(flaw="injection", check="hidden", rule="sql-injection-runtime", reason="Injection")
    blocked = by_points.model_copy(update={"criteria": [criterion.model_copy(update={"blocking": [flaw]})]})
    assert target.misses(blocked) == []
