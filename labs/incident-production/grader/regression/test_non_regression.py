"""Le test de non-régression de l'apprenant (tests/ de la soumission), lancé par pytest dans le bac
à sable : il doit échouer sur la version cassée 1.3.1 (copie de confiance, version_cassee/) et
passer sur le correctif de la soumission."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "version_cassee"


def run_learner_tests(package: Path, tmp_path: Path) -> int:
    submission = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd())
    tests = submission / "tests"
    if not any(tests.glob("test_*.py")):
        pytest.fail("aucun fichier tests/test_*.py dans la soumission")
    shutil.copytree(tests, tmp_path / "tests", ignore=shutil.ignore_patterns("__pycache__", "conftest.py"))
    shutil.copytree(package, tmp_path / "mediatheque", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "mediatheque" / "__init__.py").touch()
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "--rootdir", str(tmp_path), "tests"], cwd=tmp_path, env=env, capture_output=True,
                          timeout=60)
    return done.returncode


def test_le_test_echoue_sur_la_version_cassee(tmp_path):
    code = run_learner_tests(BROKEN / "mediatheque", tmp_path)
    assert code == 1, "vos tests ne détectent pas le défaut de la version 1.3.1 (ils doivent échouer sur elle)"


def test_le_test_passe_sur_le_correctif(tmp_path):
    submission = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd())
    code = run_learner_tests(submission / "mediatheque", tmp_path)
    assert code == 0, "vos tests doivent passer sur votre correctif"
