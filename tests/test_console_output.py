"""Terminal output details: whole lab ids, no wrapping in logs, feedback words in the report's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graders.results import CheckResult, Result

CDA = str(Path(sys.executable).parent / "cda")


def test_cda_labs_shows_whole_ids_in_a_narrow_terminal():
    env = {**os.environ, "COLUMNS": "60"}
    table = subprocess.run([CDA, "labs"], capture_output=True, text=True, env=env, check=True).stdout
    ids = [lab["id"] for lab in json.loads(subprocess.run([CDA, "labs", "--json"], capture_output=True, text=True,
                                                          check=True).stdout)]
    assert max(map(len, ids)) > 20  # long enough to have been cut at 60 columns
    shown = {line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│") and line.split("│")[1].strip()}
    assert set(ids) <= shown, f"ids cut or folded: {sorted(set(ids) - shown)}"


def test_output_to_a_log_is_not_wrapped():
    long_line = "résultat " * 40  # 360 characters, far past 80 columns
    code = f"from graders.console import out; out.print({long_line!r})"
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "COLUMNS": "80"}).stdout
    assert printed.rstrip() == long_line.rstrip() and printed.count("\n") == 1


def test_cda_check_summary_speaks_the_report_language():
    from graders.console import out, print_summary

    result = Result(lab="c2-demo", lab_title="Démo", submission="learner", status="graded", score=1, max_score=2, lang="fr",
                    checks=[CheckResult(id="tests", kind="pytest", title="Tests", status="passed", score=1, max_score=2)])
    with out.capture() as captured:
        print_summary(result, "fr", working_copy=True)
    text = captured.get()
    assert "Démo — votre copie de travail" in text and "learner" not in text
    with out.capture() as captured:
        print_summary(result, "en", working_copy=True)
    assert "Démo — your working copy" in captured.get()
