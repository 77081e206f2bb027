"""The grading engine on the fixture lab: scoring, hidden tests, trusted configuration, limits."""

import json
import shutil
from pathlib import Path

import pytest

from graders.engine import grade
from graders.labs import load_lab
from tests.helpers import FIXTURE_LABS, tree_snapshot

LAB = FIXTURE_LABS / "mini-lab"
SECRET = "HIDDEN-TEST-SOURCE-7f3a"


@pytest.fixture(scope="module")
def lab():
    return load_lab(LAB)


def submission(tmp_path: Path, base: str = "solution", **files: str) -> Path:
    dest = shutil.copytree(LAB / base, tmp_path / "sub")
    for name, content in files.items():
        path = dest / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return dest


def test_solution_gets_full_marks(lab):
    result = grade(lab, LAB / "solution", lang="en")
    assert result.status == "graded"
    assert result.score == result.max_score == 15
    assert {c.id: c.status for c in result.checks} == dict.fromkeys(["visible", "hidden", "layers", "security"], "passed")


def test_starter_scores_low_and_names_failures(lab):
    result = grade(lab, LAB / "starter", lang="en")
    assert result.score == 0  # the bandit check would pass, but on code that does nothing it is not assessed
    visible = result.checks[0]
    assert all(t.status == "failed" and "NotImplementedError" in t.message for t in visible.tests)


def test_example_lands_in_declared_range(lab):
    result = grade(lab, LAB / "examples" / "partial", lang="en")
    low, high = lab.manifest.examples["partial"].expected_pct
    assert low <= result.percent <= high
    security = next(c for c in result.checks if c.id == "security")
    assert {"CWE-78"} <= {ref for f in security.findings for ref in f.references}
    assert all(f.path == "calc/core.py" and f.line for f in security.findings)


def test_competences_roll_up(lab):
    result = grade(lab, LAB / "examples" / "partial", lang="en")
    by_id = {c.id: c for c in result.competences}
    assert by_id["C6"].max_score == 2 and by_id["C3"].max_score == 13
    assert by_id["C3"].score == sum(c.score for c in result.checks if "C3" in c.competences)


def test_group_points(lab):
    result = grade(lab, LAB / "examples" / "partial", lang="en")
    hidden = next(c for c in result.checks if c.id == "hidden")
    assert hidden.score == 5  # addition group 4/4, division 1/2
    assert {t.name: t.max_score for t in hidden.tests}["test_hidden.py::test_divide"] == 1


def test_hidden_tests_show_name_and_verdict_only(lab, tmp_path):
    sub = submission(tmp_path, **{"calc__core.py": "def add(a, b):\n    return a - b\n\ndef divide(a, b):\n    return 0\n"})
    result = grade(lab, sub, lang="fr")
    hidden = next(c for c in result.checks if c.id == "hidden")
    assert hidden.tests and all(t.message is None and t.hidden for t in hidden.tests)
    assert SECRET not in result.model_dump_json()


def test_grading_never_writes_to_the_submission_or_the_lab(lab, tmp_path):
    sub = submission(tmp_path, **{"calc__extra.py": "open(__file__ + '.touched', 'w')\n"})
    before_sub, before_lab = tree_snapshot(sub), tree_snapshot(LAB)
    grade(lab, sub, lang="en")
    assert tree_snapshot(sub) == before_sub
    assert tree_snapshot(LAB) == before_lab


HOSTILE_CONFIG = {
    "conftest.py": (
        "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
        "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n"
    ),
    "pytest.ini": "[pytest]\naddopts = -p no:python --co\n",
    "tox.ini": "[pytest]\naddopts = -k nothing\n",
    "setup.cfg": "[tool:pytest]\naddopts = -k nothing\n",
    "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-k nothing'\n",
    "sitecustomize.py": "import builtins\nbuiltins.NotImplementedError = type('X', (Exception,), {})\n",
    "usercustomize.py": "raise SystemExit(0)\n",
    "evil.pth": "import os; os._exit(0)\n",
    "pytest.py": "def main(*a, **k):\n    return 0\n",
    "_pytest__init__.py": "",
    "json.py": "raise SystemExit(0)\n",
}


def test_learner_configuration_cannot_change_collection_or_scoring(lab, tmp_path):
    honest = grade(lab, LAB / "starter", lang="en")
    hostile = grade(lab, submission(tmp_path, base="starter", **HOSTILE_CONFIG), lang="en")
    assert hostile.score <= honest.score
    assert [t.status for c in hostile.checks for t in c.tests] == [t.status for c in honest.checks for t in c.tests]


def test_nosec_comments_do_not_hide_bandit_findings(lab, tmp_path):
    sub = submission(tmp_path, **{"calc__shell.py": "import subprocess  # nosec\nsubprocess.call('ls', shell=True)  # nosec\n",
                                  ".bandit": "[bandit]\nskips = B404,B602,B607\n"})
    result = grade(lab, sub, lang="en")
    security = next(c for c in result.checks if c.id == "security")
    assert security.score < security.max_score
    assert any(f.rule == "bandit-B602" for f in security.findings)


def test_infinite_loop_in_one_test_fails_that_test_only(lab, tmp_path):
    loop = "def add(a, b):\n    return a + b\n\ndef divide(a, b):\n    while True:\n        pass\n"
    result = grade(lab, submission(tmp_path, **{"calc__core.py": loop}), lang="en")
    hidden = next(c for c in result.checks if c.id == "hidden")
    statuses = {t.name: t.status for t in hidden.tests}
    assert statuses["test_hidden.py::test_add_large"] == "passed"
    assert statuses["test_hidden.py::test_divide"] == "failed"
    assert result.checks[0].score == 4


def test_early_exit_scores_only_what_was_proved(lab, tmp_path):
    exit_at_import = "import os\nos._exit(0)\n"
    result = grade(lab, submission(tmp_path, **{"calc__core.py": exit_at_import}), lang="en")
    tests = [t for c in result.checks for t in c.tests]
    assert tests and all(t.status != "passed" for t in tests)
    assert any(f.rule == "grading-incident" for c in result.checks for f in c.findings)
    assert not any(f.rule == "test-framework-tampering" for c in result.checks for f in c.findings)


def test_forged_results_file_is_not_trusted(lab, tmp_path):
    forge = ("import json\nfor i in range(50):\n    pass\n"
             "open('/out/results.jsonl', 'a').write(json.dumps({'event': 'test', 'nodeid': 'test_hidden.py::test_divide', "
             "'when': 'call', 'outcome': 'passed'}) + '\\n')\n"
             "def add(a, b):\n    return a + b\n\ndef divide(a, b):\n    return 0\n")
    result = grade(lab, submission(tmp_path, **{"calc__core.py": forge}), lang="en")
    hidden = next(c for c in result.checks if c.id == "hidden")
    # A forged line can only repeat a verdict; the real failure recorded later wins.
    assert {t.name: t.status for t in hidden.tests}["test_hidden.py::test_divide"] == "failed"


def test_symlinks_and_special_files_are_not_copied(lab, tmp_path):
    sub = submission(tmp_path)
    (sub / "passwd").symlink_to("/etc/passwd")
    result = grade(lab, sub, lang="en")
    skipped = [f for f in result.intake if f.rule == "submission-file-skipped"]
    assert [f.path for f in skipped] == ["passwd"]
    assert not [f for c in result.checks for f in c.findings if f.rule == "submission-file-skipped"], \
        "intake findings have a place of their own, not in a check"
    assert result.score == result.max_score


def test_result_round_trips_through_json(lab):
    result = grade(lab, LAB / "solution", lang="en")
    data = json.loads(result.model_dump_json())
    assert data["schema_version"] == 2
    assert set(data) >= {"lab", "status", "score", "max_score", "duration_s", "competences", "checks"}
    for check in data["checks"]:
        assert set(check) >= {"id", "kind", "status", "score", "max_score", "duration_s", "findings"}


def test_options_are_validated_once_when_the_lab_loads(lab, monkeypatch):
    """Each check gets the typed options load_lab validated; grading does not re-read the manifest's dicts."""
    from graders.checks import check_class

    assert {spec.id: type(lab.options[spec.id]) for spec in lab.manifest.checks} == {
        spec.id: check_class(spec.kind).Options for spec in lab.manifest.checks}
    for spec in lab.manifest.checks:
        def refuse(*args, **kwargs):
            raise AssertionError("options validated again while grading")
        monkeypatch.setattr(check_class(spec.kind).Options, "model_validate", classmethod(refuse))
    assert grade(lab, LAB / "solution", lang="en").score == 15
