"""`cda cohort report` from a gradebook holding the fixture lab's golden results (no grading here):
the heatmap and what blocks, the criteria CSV, Moodle's worksheet, evidence bundles, feedback."""

from __future__ import annotations

import csv
import zipfile

import pytest

from graders.instructor import gradebook as gb
from graders.results import Result
from tests.helpers import GOLDEN, run_cda

COHORT = {"alice": "solution", "bob": "starter", "chloe": "partial"}


@pytest.fixture
def book(tmp_path):
    path = str(tmp_path / "g.sqlite")
    engine = gb.open_gradebook(path)
    for learner, name in COHORT.items():
        result = Result.model_validate_json((GOLDEN / "mini-lab" / f"{name}.json").read_text())
        gb.store_result(engine, learner, result, name, name=learner.title(), external_id=str(len(learner)))
    return path


def test_heatmap_blockers_and_exports(book, tmp_path):
    out = tmp_path / "r"
    done = run_cda("cohort", "report", "--gradebook", book, "--html", str(tmp_path / "h.html"),
                   "--csv", str(tmp_path / "c.csv"), "--moodle-csv", str(tmp_path / "m.csv"), "--lab", "mini-lab",
                   "--bundles", str(out / "bundles"), "--feedback", str(out / "feedback"), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "chloe: C3.2, C6.1" in done.stdout and "bob: C3.1, C6.1" in done.stdout and "alice:" not in done.stdout
    rows = list(csv.DictReader(open(tmp_path / "c.csv", encoding="utf-8")))
    assert [r["learner"] for r in rows] == ["alice", "bob", "chloe"] and len(rows[0]) == 53 + 3
    assert (rows[0]["C3.1"], rows[1]["C3.1"], rows[2]["C6.1"], rows[2]["C1.1"]) == (
        "acquired", "not-acquired", "not-acquired", "not-assessed")
    moodle = list(csv.reader(open(tmp_path / "m.csv", encoding="utf-8")))
    assert moodle[0] == ["Identifier", "Full name", "Grade", "Feedback comments"]
    assert moodle[1][:3] == ["Participant 5", "Alice", "100.00"] and "C3.1 Acquired" in moodle[1][3]
    with zipfile.ZipFile(out / "bundles" / "chloe-evidence.zip") as bundle:
        assert sorted(bundle.namelist()) == ["evidence.md", "record.html", "record.json"]
        evidence = bundle.read("evidence.md").decode()
    assert "## C3.2" in evidence and "calc/core.py:1" in evidence  # the finding's code location
    with zipfile.ZipFile(out / "feedback" / "bob.zip") as archive:
        assert sorted(archive.namelist()) == ["bob/mini-lab.html", "bob/mini-lab.md"]
    html = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "pat-not-acquired" in html and "Not acquired" in html


def test_bad_report_requests_are_one_line_exit_2(book, tmp_path):
    done = run_cda("cohort", "report", "--gradebook", book, "--moodle-csv", str(tmp_path / "m.csv"))
    assert done.returncode == 2 and "--lab" in done.stderr
    done = run_cda("cohort", "report", "--gradebook", str(tmp_path / "empty.sqlite"))
    assert done.returncode == 2 and "no learner" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_heatmap_page_is_axe_clean(book, page):
    from graders.browser import axe_audit, format_violations
    from graders.instructor.cohort_report import cohort_records, heatmap_html

    page.set_content(heatmap_html(cohort_records(gb.open_gradebook(book)), "fr"))
    violations = axe_audit(page)
    assert not violations, "axe violations:\n" + format_violations(violations)
