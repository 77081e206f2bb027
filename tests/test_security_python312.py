"""Python 3.12+ syntax: the analysers run on a Python that parses it, and what none can parse is named."""

from __future__ import annotations

import shutil
import sys

import pytest

from graders.i18n import gettext_for
from graders.security.interpreters import ENV, analyser
from graders.security.scan import ScanOptions, run_scan
from tests.helpers import REPO

LAB = REPO / "tests" / "fixtures" / "security" / "lab" / "sec-lab"
# PEP 701 (same quotes inside an f-string), PEP 695 (type alias, generic function): SyntaxError on 3.11.
MODERN = """import hashlib
import tempfile


def label(raw: bytes) -> str:
    return f'{raw.decode('utf-8')}'


type Names = list[str]


def first[T](items: list[T]) -> T:
    return items[0]


def scratch():
    return tempfile.mktemp()  # bandit B306: seen only if bandit parsed this file
"""
BROKEN = "def broken(:\n    return 1\n"
NEWER = pytest.mark.skipif(
    analyser().version < (3, 12),
    reason=f"no Python 3.12+ analyser on this machine (run `make analysers`): bandit runs on {analyser().label}")


def _scan(root):
    options = ScanOptions(families=("injection", "crypto"), git_history=False, min_confidence="low")
    return list(run_scan(root, options, gettext_for("en")).hits())


@NEWER
def test_a_file_with_python_312_syntax_is_analysed_by_bandit(tmp_path):
    (tmp_path / "modern.py").write_text(MODERN, encoding="utf-8")
    hits = _scan(tmp_path)
    assert not [h for h in hits if h.rule == "python-not-checked"], hits
    assert any(h.source == "bandit" and h.extra.get("bandit") == "B306" and h.path == "modern.py" for h in hits), hits


def test_a_file_no_python_parses_is_reported_not_checked_by_name(tmp_path):
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "fine.py").write_text("import os\nprint(os.getcwd())\n", encoding="utf-8")
    hits = _scan(tmp_path)
    missed = [h for h in hits if h.rule == "python-not-checked"]
    assert [h.path for h in missed] == ["broken.py"], hits
    assert missed[0].line == 1  # where the analyser Python's parser stopped
    finding = missed[0].to_finding(gettext_for("en"))
    assert "NOT checked" in finding.message and analyser().label in finding.message


def test_on_the_graders_own_python_newer_syntax_is_not_checked_not_skipped(tmp_path, monkeypatch):
    """Without a 3.12+ analyser (forced here), a 3.12 file is named as not checked, never silently passed."""
    if sys.version_info >= (3, 12):
        pytest.skip("the grader's own Python parses 3.12 syntax: nothing to report")
    monkeypatch.setenv(ENV, str(REPO / ".venv" / "bin" / "python"))
    if analyser().version >= (3, 12):
        pytest.skip("the grader's venv is not at .venv: cannot force its Python")
    (tmp_path / "modern.py").write_text(MODERN, encoding="utf-8")
    hits = _scan(tmp_path)
    assert [h.path for h in hits if h.rule == "python-not-checked"] == ["modern.py"]


@pytest.fixture(scope="module")
def lab():
    from graders.labs import load_lab

    return load_lab(LAB)


def _graded(lab, tmp_path, files: dict[str, str]):
    from graders.engine import grade

    submission = tmp_path / "submission"
    shutil.copytree(LAB / "solution", submission)
    for name, text in files.items():
        (submission / "app" / name).write_text(text, encoding="utf-8")
    return grade(lab, submission, lang="en").checks[0]


@NEWER
def test_security_check_in_the_sandbox_parses_312_and_names_what_it_cannot(lab, tmp_path):
    check = _graded(lab, tmp_path, {"modern.py": MODERN, "broken.py": BROKEN})
    assert check.status != "error", check.message
    not_checked = sorted(f.path for f in check.findings if f.rule == "python-not-checked")
    assert not_checked == ["app/broken.py"], check.findings


def test_bandit_check_names_a_file_it_cannot_parse(tmp_path):
    from graders.engine import grade
    from graders.labs import load_lab

    lab_dir = tmp_path / "sec-lab"
    shutil.copytree(LAB, lab_dir)
    toml = (lab_dir / "lab.toml").read_text(encoding="utf-8")
    head, _, _ = toml.partition("[checks.options]")
    (lab_dir / "lab.toml").write_text(head.replace('kind = "security"', 'kind = "bandit"')
                                      + '[checks.options]\npaths = ["app"]\n', encoding="utf-8")
    submission = lab_dir / "solution"
    (submission / "app" / "broken.py").write_text(BROKEN, encoding="utf-8")
    (submission / "app" / "modern.py").write_text(MODERN, encoding="utf-8")
    check = grade(load_lab(lab_dir), submission, lang="en").checks[0]
    assert check.kind == "bandit"
    parse_errors = sorted(f.path for f in check.findings if f.rule == "bandit-parse-error")
    expected = ["app/broken.py"] if analyser().version >= (3, 12) else ["app/broken.py", "app/modern.py"]
    assert parse_errors == expected, check.findings
    assert all("NOT checked" in f.message for f in check.findings if f.rule == "bandit-parse-error")
