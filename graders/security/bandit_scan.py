"""bandit, kept for what a pattern matcher does well: weak hashes, ciphers and random, TLS settings,
debug mode, temporary files... Its injection tests (B102, B301-B320, B602-B611, B608...) are not run:
they flag safe and unsafe calls alike, and our taint rules cover those classes precisely.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graders.security.catalog import BANDIT_DEMOTED, BANDIT_TESTS
from graders.security.interpreters import Analyser, analyser
from graders.security.model import Hit
from graders.security.runner import ToolCall, ToolRun

SEVERITY = {"LOW": "low", "MEDIUM": "medium", "HIGH": "high"}
REPORT = "bandit.json"
VERSION_ENV = "CDA_ANALYSER"  # informative only: which Python ran bandit


def available() -> str | None:
    import importlib.util

    return None if importlib.util.find_spec("bandit") else "bandit is not installed (pip install bandit)"


def calls(files: list[str], timeout: float = 300, python: Analyser | None = None) -> list[ToolCall]:
    """bandit on `python` (default: the newest analyser Python, see interpreters.py)."""
    if not files:
        return []
    python = python or analyser()
    argv = [python.python, "-I", "-m", "bandit", "-f", "json", "-o", f"{{out}}/{REPORT}", "-q", "--exit-zero",
            "--ignore-nosec", "--ini", "{cda}/bandit.ini", "-c", "{cda}/bandit.yaml",
            "-t", ",".join(sorted(BANDIT_TESTS)), "--", *(f.replace("{", "{{").replace("}", "}}") for f in files)]
    return [ToolCall("bandit", argv, timeout=timeout, folders=python.folders, env={VERSION_ENV: python.label})]


def not_checked(data: dict, python_label: str, family: str, _, where: dict[str, str] | None = None) -> list[Hit]:
    """One finding per file bandit could not parse: it was not checked, and the report says so by name.
    `where` holds the parser's own words from the rewrite step ({file: "line N: message"}), when known."""
    hits = []
    for error in data.get("errors", []):
        path = (error.get("filename") or "").removeprefix("./")
        if not path:
            continue
        reason = (where or {}).get(path) or error.get("reason", "?")
        match = re.match(r"line (\d+): ", reason)
        hit = Hit("python-not-checked", path, int(match.group(1)) if match else None, source="bandit",
                  detail=_("{python} reports: {reason}.").format(python=python_label, reason=reason))
        hit.extra["family"] = family
        hits.append(hit)
    return hits


def to_hits(out: Path, _, python: Analyser | None = None, family: str = "crypto",
            where: dict[str, str] | None = None) -> tuple[list[Hit], str | None]:
    report = out / REPORT
    if not report.is_file():
        return [], "bandit produced no report"
    data = json.loads(report.read_text(encoding="utf-8"))
    hits = not_checked(data, (python or analyser()).label, family, _, where)
    for issue in data.get("results", []):
        test_id = issue.get("test_id", "")
        rule_id = BANDIT_TESTS.get(test_id)
        if rule_id is None:
            continue
        severity, confidence = BANDIT_DEMOTED.get(test_id, (None, None))
        hit = Hit(rule_id, issue.get("filename", "").removeprefix("./"), issue.get("line_number"), source="bandit",
                  severity=severity, confidence=confidence, finding_rule=rule_id)
        if test_id in ("B506", "B614"):
            hit.detail = _("({test_id}: the data does not come from the request here, but this loader can run code "
                           "if the file is ever replaced.)").format(test_id=test_id)
        hit.extra["bandit"] = test_id
        hits.append(hit)
    return hits, None


def failed(runs: dict[str, ToolRun]) -> str | None:
    run = runs.get("bandit")
    if run is None:
        return None
    if run.failed or run.returncode not in (0, 1):
        return run.reason()
    return None
