"""Secrets committed in the tree or in the git history (detect-secrets, through tools/secrets_scan.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from graders.security.model import Hit
from graders.security.runner import ToolCall, ToolRun

REPORT = "secrets.json"
FILE_LIST = "secret-files.txt"


def available() -> str | None:
    import importlib.util

    return None if importlib.util.find_spec("detect_secrets") else "detect-secrets is not installed (pip install detect-secrets)"


def calls(files: list[str], trusted: Path, git_history: bool, timeout: float = 300) -> list[ToolCall]:
    (trusted / FILE_LIST).write_text("\n".join(files) + "\n", encoding="utf-8")
    argv = [sys.executable, "-I", "{cda}/secrets_scan.py", "{root}", f"{{out}}/{REPORT}", f"{{cda}}/{FILE_LIST}"]
    if git_history:
        argv.append("--git")
    return [ToolCall("secrets", argv, timeout=timeout)]


def _describe(hit: dict, _) -> str:
    return _("Detected: {type} ({preview}).").format(type=hit.get("type", "?"), preview=hit.get("preview", "…"))


def to_hits(out: Path, _) -> tuple[list[Hit], str | None, dict]:
    report = out / REPORT
    if not report.is_file():
        return [], "detect-secrets produced no report", {}
    data = json.loads(report.read_text(encoding="utf-8"))
    hits: list[Hit] = []
    by_line: dict[tuple[str, int], Hit] = {}
    for item in data.get("tree", []):
        if "error" in item:
            continue
        key = (item["path"], item["line"])
        if key in by_line:  # several plugins on one line (keyword + entropy): one finding
            existing = by_line[key]
            if item["kind"] == "real" and existing.extra.get("kind") != "real":
                by_line.pop(key)
                hits.remove(existing)
            else:
                continue
        if item["kind"] == "placeholder":
            hit = Hit("secret-placeholder", item["path"], item["line"], source="detect-secrets",
                      detail=_("The value \u00ab {value} \u00bb looks like a placeholder.").format(value=item.get("preview", "")))
        elif item["kind"] == "test":
            hit = Hit("secret-in-code", item["path"], item["line"], source="detect-secrets", severity="low",
                      confidence="low", detail=_describe(item, _) + " " + _("It is in test or example code: "
                                                                               "check that it is a fake value."))
        else:
            hit = Hit("secret-in-code", item["path"], item["line"], source="detect-secrets", detail=_describe(item, _))
        hit.extra["kind"] = item["kind"]
        by_line[key] = hit
        hits.append(hit)
    for item in data.get("history", []):
        if item.get("in_tree") or item["kind"] == "placeholder":
            continue
        severity, confidence = ("low", "low") if item["kind"] == "test" else (None, None)
        hits.append(Hit("secret-in-history", item["path"], item["line"], source="detect-secrets",
                        severity=severity, confidence=confidence,
                        detail=_("Commit {commit}: {type} ({preview}).").format(
                            commit=item.get("commit", "?"), type=item.get("type", "?"), preview=item.get("preview", "…"))))
    metrics = {"git_history": bool(data.get("git")), "history_error": data.get("history_error")}
    return hits, None, metrics


def failed(runs: dict[str, ToolRun]) -> str | None:
    run = runs.get("secrets")
    if run is None:
        return None
    if run.failed or run.returncode != 0:
        return run.reason()
    return None
