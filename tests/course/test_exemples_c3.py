"""Worked example of C3 (course/competences/c3.md): the loan service with its ownership check and
Argon2id password store.

Files of course/exemples/c3/: domain.py, passwords.py, loan_service.py, test_loan_service.py. The
example's own tests run in a subprocess (pure Python, no database); then, as the lab
c3-composants-securises grades a learner's tests, each seeded security bug must make them fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "course" / "exemples" / "c3"
FILES = ("domain.py", "passwords.py", "loan_service.py", "test_loan_service.py")
# file -> (text of the reference, text of the seeded bug)
SEEDED = {
    "idor": ("loan_service.py", "if not actor.can_see_member(member_id) or self._store.member(member_id) is None:",
             "if self._store.member(member_id) is None:"),
    "no-role-check": ("loan_service.py", "        if not actor.is_staff:\n            raise AccessDeniedError",
                      "        if False:\n            raise AccessDeniedError"),
    "staff-for-all": ("domain.py", "return self.role in (Role.LIBRARIAN, Role.ADMIN)", "return True"),
    "weak-hash": ("passwords.py", "return self._argon2.hash(password)",
                  "import hashlib; return hashlib.sha256(password.encode()).hexdigest()"),
}


def run_tests(folder: Path) -> subprocess.CompletedProcess:
    ini = folder / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ini),
                           "--rootdir", str(folder), "test_loan_service.py"], cwd=folder, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


def copy_example(folder: Path) -> Path:
    for name in FILES:
        shutil.copy(EXAMPLE / name, folder / name)
    return folder


def test_the_examples_own_tests_pass(tmp_path):
    run = run_tests(copy_example(tmp_path))
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "11 passed" in run.stdout


@pytest.mark.parametrize("bug", sorted(SEEDED))
def test_the_examples_tests_catch_each_seeded_bug(tmp_path, bug):
    name, good, bad = SEEDED[bug]
    folder = copy_example(tmp_path)
    text = (folder / name).read_text(encoding="utf-8")
    assert text.count(good) == 1, f"{bug}: the reference text moved"
    (folder / name).write_text(text.replace(good, bad), encoding="utf-8")
    run = run_tests(folder)
    assert run.returncode == 1 and " failed" in run.stdout, f"{bug} went unnoticed:\n{run.stdout[-1500:]}"
