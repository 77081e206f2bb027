"""`cda grade` on notebook submissions (C3 lab): scores, tampering, time limits, hidden tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from graders.engine import grade
from graders.labs import find_lab
from graders.render import RENDERERS, render
from tests.helpers import run_cda, tree_snapshot

LAB = find_lab("nb-c3-regles-metier")
NB = "regles_metier.ipynb"
MARKER = "CACHE-C3-7Q2X"  # inside every hidden test of the lab
pytestmark = pytest.mark.xdist_group("notebook-check")  # one worker: the leak test reads the others' results

_results: dict[str, object] = {}


def graded(name: str, path: Path, lang: str = "en"):
    if name not in _results:
        _results[name] = grade(LAB, path, lang=lang)
    return _results[name]


def cells_by_id(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "grade_id" in c.metadata.get("nbgrader", {})}


def write(nb, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / NB))
    return folder


def example(name: str):
    return nbformat.read(str(LAB.path / "examples" / name / NB), as_version=4)


def test_solution_full_marks_by_group_and_competence():
    result = graded("solution", LAB.path / "solution")
    assert result.status == "graded" and result.score == result.max_score == 20
    assert [c.id for c in result.checks] == ["ex1-peut-emprunter", "ex2-date-retour", "ex3-penalite", "ex4-reservations"]
    assert all(c.status == "passed" and len(c.tests) == 2 for c in result.checks)
    assert {a.id: (a.score, a.max_score) for a in result.competences} == {"C3": (20, 20)}
    assert not [f for _, f in result.all_findings()]


def test_starter_scores_zero_with_visible_messages():
    result = graded("starter", LAB.path / "starter")
    assert result.score == 0
    visible = [t for c in result.checks for t in c.tests if not t.hidden]
    assert visible and all("NotImplementedError" in (t.message or "") or "NameError" in (t.message or "") for t in visible)
    assert all(t.message is None for c in result.checks for t in c.tests if t.hidden)


def test_tampering_is_neutralised_and_reported(tmp_path):
    honest = graded("honest", LAB.path / "examples" / "quota-mineur-oublie")
    nb = example("quota-mineur-oublie")
    cells = cells_by_id(nb)
    for cell in cells.values():
        if cell.metadata["nbgrader"].get("grade"):
            cell.metadata["nbgrader"]["points"] = 100
    cells["ex1-caches"].source = "pass"
    cells["ex1-caches"].metadata["nbgrader"]["locked"] = False
    nb.cells.remove(cells["ex2-caches"])
    nb.cells.remove(cells["ex2-visibles"])
    cells["ex3-visibles"].metadata["nbgrader"]["grade_id"] = "mes-tests"
    nb.metadata["kernelspec"] = {"name": "python2", "display_name": "Python 2", "language": "python"}
    tampered = graded("tampered", write(nb, tmp_path / "sub"))
    assert honest.score == 14
    assert tampered.score == honest.score
    assert tampered.max_score == 20
    first = tampered.checks[0]
    rules = [f for f in first.findings if f.rule == "notebook-tampering"]
    assert rules and all(f.severity == "high" for f in rules)
    text = " ".join(f.message for f in rules)
    for needle in ("ex1-visibles", "ex1-caches", "ex2-caches", "ex2-visibles", "mes-tests", "python2"):
        assert needle in text
    assert all(f.rule != "notebook-tampering" for c in tampered.checks[1:] for f in c.findings)


def test_invalid_json_is_a_result_not_a_traceback(tmp_path):
    sub = shutil.copytree(LAB.path / "examples" / "json-invalide", tmp_path / "sub")
    before = tree_snapshot(sub)
    result = grade(LAB, sub, lang="fr")
    assert result.status == "graded" and result.score == 0
    finding = next(f for _, f in result.all_findings())
    assert finding.rule == "notebook-tampering" and finding.severity == "high" and "JSON" in finding.message
    assert tree_snapshot(sub) == before
    assert "Traceback" not in result.model_dump_json()


def test_infinite_loop_is_stopped_and_other_cells_count():
    result = graded("loop", LAB.path / "examples" / "float-et-boucle-infinie")
    statuses = {t.name: t.status for c in result.checks for t in c.tests}
    assert statuses["ex4-caches"] == "failed" and statuses["ex4-visibles"] == "passed"
    assert statuses["ex1-caches"] == statuses["ex2-caches"] == "passed"
    assert any(f.rule == "limit-timeout" for _, f in result.all_findings())
    assert result.score == 12 and result.duration_s < LAB.manifest.limits.timeout_s


HOSTILE_EX1 = '''
import inspect

def peut_emprunter(adherent, prets, aujourd_hui):
    # Tries to smuggle the hidden tests out through its error messages.
    appelant = "".join(inspect.stack()[1].code_context or [])
    historique = "\\n".join(get_ipython().user_ns.get("In", []))
    raise ValueError(repr(historique) + appelant)
'''
HOSTILE_EX2 = '''
import os
FORGED = b'{"event": "cell", "grade_id": "ex2-caches", "score": 3, "max_score": 3, "error": null}\\n'
for fd in (1, 2):  # the kernel's own stdout/stderr
    os.write(fd, FORGED)
for pid in os.listdir("/proc"):  # every descriptor of every process it can see, the runner's included
    for fd in range(0, 24):
        try:
            os.write(os.open(f"/proc/{pid}/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK), FORGED)
        except (OSError, ValueError):
            pass
raise RuntimeError("\\n".join(In) + open("/proc/self/cmdline").read())
'''


def test_hidden_tests_never_reach_learner_facing_output(tmp_path):
    nb = nbformat.read(str(LAB.path / "solution" / NB), as_version=4)
    cells = cells_by_id(nb)
    cells["ex1-code"].source = HOSTILE_EX1
    cells["ex2-code"].source = HOSTILE_EX2 + cells["ex2-code"].source
    hostile = graded("hostile", write(nb, tmp_path / "sub"), lang="fr")
    graded("starter", LAB.path / "starter")  # in case xdist ran the other tests elsewhere
    assert any(f.rule == "notebook-tampering" for _, f in hostile.all_findings())  # In, inspect, get_ipython
    for name in ("starter", "honest", "loop", "hostile"):
        if name not in _results:
            continue
        for fmt in RENDERERS:
            for lang in ("fr", "en"):
                text = render(_results[name], fmt, lang)
                assert MARKER not in text, (name, fmt)
                assert "BEGIN HIDDEN TESTS" not in text, (name, fmt)
    # The visible test of exercise 1 did fail with the learner's own (redacted) message.
    visible = next(t for c in hostile.checks for t in c.tests if t.name == "ex1-visibles")
    assert visible.status == "failed" and "ValueError" in visible.message
    # Forged result lines written on every reachable descriptor did not count.
    assert next(t for c in hostile.checks for t in c.tests if t.name == "ex2-caches").status == "failed"


def test_cli_grades_a_single_notebook_file(tmp_path):
    target = tmp_path / "copie.ipynb"
    shutil.copyfile(LAB.path / "examples" / "quota-mineur-oublie" / NB, target)
    done = run_cda("grade", LAB.id, str(target), "--json", str(tmp_path / "r.json"), "-q")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["score"] == 14 and result["submission"] == "copie.ipynb"


def test_bandit_findings_point_at_the_learners_cells(tmp_path):
    """notebook-bandit analyses the learner's code cells only and locates findings by cell."""
    from graders.checks.base import CheckContext
    from graders.checks.notebook_check import NotebookBanditCheck
    from graders.sandbox import RunLimits, get_sandbox

    lab = find_lab("nb-anssi-mots-de-passe")
    spec = next(s for s in lab.manifest.checks if s.kind == "notebook-bandit")
    workspace = shutil.copytree(lab.path / "examples" / "md5-sans-sel", tmp_path / "ws")
    ctx = CheckContext(lab=lab, spec=spec, workspace=workspace, scratch=tmp_path, sandbox=get_sandbox(),
                       limits=RunLimits(), lang="fr", _=lambda s: s)
    outcome = NotebookBanditCheck(NotebookBanditCheck.Options.model_validate(spec.options)).run(ctx)
    rules = {(f.rule, f.path, f.line) for f in outcome.findings}
    assert ("bandit-B324", "mots_de_passe.ipynb (cell 4)", 2) in rules  # hashlib.md5 in the learner's cell
    assert outcome.fraction == 0
    clean = shutil.copytree(lab.path / "solution", tmp_path / "ok")
    outcome = NotebookBanditCheck(NotebookBanditCheck.Options.model_validate(spec.options)).run(
        CheckContext(lab=lab, spec=spec, workspace=clean, scratch=tmp_path, sandbox=get_sandbox(), limits=RunLimits(),
                     lang="fr", _=lambda s: s))
    assert outcome.fraction == 1 and not outcome.findings  # the setup cells' hashlib use is not the learner's


def test_kernel_tampering_at_run_time_is_caught_by_the_canaries(tmp_path):
    """Code that blanks every later cell (tests included) would pass them all under plain nbgrader."""
    nb = example("quota-mineur-oublie")
    cells = cells_by_id(nb)
    cells["ex3-code"].source = ("get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"
                                + cells["ex3-code"].source)
    result = grade(LAB, write(nb, tmp_path / "sub"), lang="en")
    statuses = {t.name: t.status for c in result.checks for t in c.tests}
    honest = {t.name: t.status for c in graded("honest", LAB.path / "examples" / "quota-mineur-oublie").checks
              for t in c.tests}
    for name in ("ex1-visibles", "ex1-caches", "ex2-visibles", "ex2-caches"):  # proven before the tampering
        assert statuses[name] == honest[name]
    assert "passed" in {statuses["ex1-visibles"], statuses["ex2-caches"]}
    assert statuses["ex3-visibles"] == statuses["ex3-caches"] == statuses["ex4-caches"] == "failed"
    runtime = [f for _, f in result.all_findings() if f.rule == "notebook-tampering" and "changed how the kernel" in f.message]
    assert runtime and "ex3-visibles" in runtime[0].message
    visible = next(t for c in result.checks for t in c.tests if t.name == "ex3-visibles")
    assert "interfered" in visible.message
