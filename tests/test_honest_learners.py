"""Honest mistakes are graded as mistakes: never as cheating, and the same way every run.

Each submission below is something real learners write: a loop that never advances, a loop that
swallows every exception (the per-test timeout with it), `sys.exit()` or `os._exit()` left in the
code, an import that fails, unbounded recursion, a computation stuck in C. Each is graded three
times on a lab written as an instructor would (one function, 8 hidden cases, 2 s per test), and
must get the same result every time, the score its passing cases earn, feedback that names the
cause, and no tampering finding.
"""

from __future__ import annotations

import html
import json

import pytest

from graders.engine import grade
from graders.labs import load_lab
from graders.render import render
from tests.helpers import FIXTURE_LABS

LAB = FIXTURE_LABS / "penalites-lab"
SOLUTION = (LAB / "solution" / "penalites" / "calcul.py").read_text(encoding="utf-8")
RUNS = 3

# name: (source of penalites/calcul.py, points expected of 8, a finding rule expected, text in that finding)
SUBMISSIONS = {
    "boucle-qui-n-avance-pas": (
        "def penalite(jours):\n    total, reste = 0.0, jours\n    while reste > 10:\n        total += 0.5\n"
        "    return min(total + reste * 0.5, 10.0)\n",
        5.0, "test-timeout", "2 s"),
    "boucle-qui-avale-tout": (
        "def penalite(jours):\n    while jours >= 30:\n        try:\n            int('x')\n        except BaseException:\n"
        "            continue\n    return min(jours * 0.5, 10.0)\n",
        6.0, "test-timeout", "2 s"),
    "calcul-bloque-en-c": (
        "def penalite(jours):\n    if jours == 100:\n        sum(range(10 ** 13))\n    return min(jours * 0.5, 10.0)\n",
        7.0, "test-timeout", "2 s"),
    "sys-exit-au-chargement": (SOLUTION + "\nimport sys\nsys.exit(0)\n", 0.0, "import-error", "SystemExit"),
    "import-errone": ("from penalites.outils import arrondi\n\n" + SOLUTION, 0.0, "import-error", "ModuleNotFoundError"),
    "nom-inconnu": (SOLUTION + "\nprint(resultat)\n", 0.0, "import-error", "NameError"),
    "os-exit-dans-la-fonction": (
        "import os\n\n\ndef penalite(jours):\n    if jours == 20:\n        os._exit(1)\n    return min(jours * 0.5, 10.0)\n",
        7.0, "grading-incident", "penalite_plafonnee"),
    "recursion-sans-fin": (
        "def penalite(jours):\n    if jours > 10:\n        return penalite(jours + 1)\n    return jours * 0.5\n",
        5.0, "learner-exception", "RecursionError"),
    "solution": (SOLUTION, 8.0, None, None),
}


def submit(tmp_path, name: str):
    source = SUBMISSIONS[name][0]
    package = tmp_path / name / "penalites"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "calcul.py").write_text(source, encoding="utf-8")
    return package.parent


def normalised(result) -> dict:
    data = json.loads(result.model_dump_json())
    data["duration_s"] = 0
    for check in data["checks"]:
        check["duration_s"] = 0
    return data


@pytest.mark.parametrize("name", sorted(SUBMISSIONS))
def test_same_grade_every_run_and_no_accusation(name, tmp_path):
    _, points, rule, fragment = SUBMISSIONS[name]
    lab = load_lab(LAB)
    submission = submit(tmp_path, name)
    results = [grade(lab, submission, lang="en") for _ in range(RUNS)]
    first = normalised(results[0])
    assert all(normalised(r) == first for r in results[1:]), f"{name}: results differ between runs"
    result = results[0]
    findings = [f for c in result.checks for f in c.findings]
    assert not [f for f in findings if f.rule in ("test-framework-tampering", "forged-results")], findings
    assert result.score == pytest.approx(points), [t.status for c in result.checks for t in c.tests]
    if rule is None:
        assert findings == []
        return
    named = [f for f in findings if f.rule == rule]
    assert named and fragment in named[0].message, findings
    markdown, page = render(result, "markdown").replace("\\", ""), html.unescape(render(result, "html"))
    for finding in findings:  # every finding of the JSON, in the reports a learner reads
        assert finding.message in markdown and finding.message in page, finding.rule


def test_import_error_names_the_learners_file_and_line(tmp_path):
    result = grade(load_lab(LAB), submit(tmp_path, "import-errone"), lang="fr")
    finding = next(f for c in result.checks for f in c.findings if f.rule == "import-error")
    assert (finding.path, finding.line) == ("penalites/calcul.py", 1)
    assert "test_penalites.py" in finding.message and "penalite(jours) ==" not in finding.message
    assert all(t.status == "error" and t.message is None for c in result.checks for t in c.tests)
