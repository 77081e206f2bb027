"""Runs the C9 worked example (course/exemples/c9/): plan_de_tests.toml, jeu_essai.toml,
test_regles.py and rapport.py. The tests pass on the reference rules, every automated case of the
plan has its test, and the same tests catch a mutated copy of the rules."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "course" / "exemples" / "c9"
APP = ROOT / "course" / "mediatheque" / "app"
FILES = ("plan_de_tests.toml", "jeu_essai.toml", "test_regles.py", "rapport.py")


def plan() -> list[dict]:
    return tomllib.loads((EXAMPLE / "plan_de_tests.toml").read_text(encoding="utf-8"))["cas"]


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # the example needs no plugin: faster
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull,
                           str(folder / "test_regles.py"), *args],
                          capture_output=True, text=True, timeout=120, cwd=folder, env=env)


def test_the_example_files_are_all_here():
    assert sorted(p.name for p in EXAMPLE.iterdir() if p.is_file()) == sorted(FILES)


def test_every_automated_case_of_the_plan_has_a_test_and_data():
    listed = run_pytest(EXAMPLE, "--collect-only")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    collected = set(re.findall(r"\[([A-Z]{2}-\d{2})\]", listed.stdout))
    automated = {c["id"] for c in plan() if c["automatisation"] == "pytest"}
    assert len(automated) >= 20
    assert automated == collected, f"plan without test: {automated - collected}, test without plan: {collected - automated}"
    data = tomllib.loads((EXAMPLE / "jeu_essai.toml").read_text(encoding="utf-8"))["donnees"]
    assert sorted(d["cas"] for d in data) == sorted(automated)
    for case in plan():
        assert case["niveau"] in {"unitaire", "intégration", "système", "sécurité"}
        if case["automatisation"] != "pytest":
            assert len(case["procedure"]) > 40, case["id"]
    assert {"intégration", "système", "sécurité"} <= {c["niveau"] for c in plan()}


def test_the_tests_pass_and_the_report_says_conforme(tmp_path):
    junit = tmp_path / "resultats.xml"
    run = run_pytest(EXAMPLE, f"--junitxml={junit}")
    assert run.returncode == 0, run.stdout + run.stderr
    report = subprocess.run([sys.executable, str(EXAMPLE / "rapport.py"), str(junit)],
                            capture_output=True, text=True, timeout=60)
    assert report.returncode == 0, report.stdout + report.stderr
    for case in plan():
        assert f"| {case['id']} |" in report.stdout
    assert report.stdout.count("| conforme | aucun |") == sum(c["automatisation"] == "pytest" for c in plan())


def test_the_same_tests_catch_mutated_rules(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(EXAMPLE, course / "exemples" / "c9")
    shutil.copytree(APP, course / "mediatheque" / "app", ignore=shutil.ignore_patterns("__pycache__"))
    rules = course / "mediatheque" / "app" / "mediatheque" / "rules.py"
    text = rules.read_text(encoding="utf-8")
    for old, new in (("MAX_LOANS_ADULT = 5", "MAX_LOANS_ADULT = 6"), ("LATE_GRACE_DAYS = 2", "LATE_GRACE_DAYS = 3"),
                     ("if subscription_ends_on < today", "if subscription_ends_on <= today")):
        assert old in text
        text = text.replace(old, new)
    rules.write_text(text, encoding="utf-8")
    junit = tmp_path / "resultats.xml"
    copy = course / "exemples" / "c9"
    run = run_pytest(copy, f"--junitxml={junit}")
    assert run.returncode == 1, run.stdout + run.stderr
    for case in ("EM-02", "PE-02", "EM-05"):
        assert f"[{case}]" in run.stdout, run.stdout
    report = subprocess.run([sys.executable, str(copy / "rapport.py"), str(junit)],
                            capture_output=True, text=True, timeout=60)
    assert report.returncode == 1
    assert "| EM-02 |" in report.stdout and "différent" in report.stdout
