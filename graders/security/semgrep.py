"""semgrep with our own rules, offline: one configuration file, one start-up per batch of files.

We run the OCaml CLI (`semgrep --experimental`, ~0.2 s to start) and fall back to the Python CLI
(~6 s to start) only if it fails. Telemetry off, version check off, `# nosemgrep` ignored, no
registry: the configuration is the expanded rules of graders/security/rules/.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from graders.security.catalog import RULES
from graders.security.model import Hit
from graders.security.runner import ToolCall, ToolRun, tool_path
from graders.security.secret_values import classify_literal

CONFIG_NAME = "semgrep-rules.yml"
# semgrep rules that report under another catalog entry (a second way to find the same flaw).
ALIASES = {"weak-random-token-assign": "weak-random-token"}
BATCH = 400
TIMEOUT_PER_FILE_S = 30
JOBS_ENV = "CDA_SCAN_JOBS"


def jobs() -> int:
    """semgrep threads: CDA_SCAN_JOBS, else up to 4 of the machine's cores."""
    try:
        return max(1, int(os.environ[JOBS_ENV]))
    except (KeyError, ValueError):
        return max(1, min(4, os.cpu_count() or 1))


def available() -> str | None:
    """None when semgrep can run, else why not."""
    return None if tool_path("semgrep") else "semgrep is not installed (pip install semgrep)"


def escape(path: str) -> str:
    """File names go through str.format() with the runner's placeholders: keep their braces."""
    return path.replace("{", "{{").replace("}", "}}")


REWRITTEN = "rewritten"


def prepare_targets(root: Path, files: list[str], trusted: Path, python=None) -> tuple[list[str], dict[str, str]]:
    """semgrep's targets: each Python file as it is, or its rewritten copy under {cda}/rewritten/ (rewrite.py),
    and the files the analyser Python could not parse ({file: "line N: why"})."""
    from graders.security.interpreters import analyser
    from graders.security.rewrite import rewrite_files

    python_files = [rel for rel in files if rel.endswith((".py", ".pyw"))]
    rewritten, unparsed = rewrite_files(root, python_files, trusted / REWRITTEN, python or analyser()) \
        if python_files else ([], {})
    done = set(rewritten)
    return ["{cda}/" + REWRITTEN + "/" + escape(rel) if rel in done else escape(rel) for rel in files], unparsed


def original_path(path: str) -> str:
    """Map a rewritten copy's path back to the project's own path."""
    marker = f"/{REWRITTEN}/"
    if path.startswith("/") and marker in path:
        return path.split(marker, 1)[1]
    return path.removeprefix("./")


def calls(files: list[str], *, legacy: bool = False, timeout: float = 300) -> list[ToolCall]:
    """`files` are already escaped targets (see prepare_targets)."""
    entry = tool_path("semgrep")
    result = []
    for index in range(0, len(files), BATCH):
        batch = files[index:index + BATCH]
        argv = [sys.executable, "-I", entry, "scan", "--legacy" if legacy else "--experimental",
                "--config", f"{{cda}}/{CONFIG_NAME}", "--json",
                "--metrics=off", "--disable-version-check", "--disable-nosem", "--quiet", "--no-git-ignore",
                "--timeout", str(TIMEOUT_PER_FILE_S), "--jobs", str(jobs()), "--max-target-bytes", "2000000", "--", *batch]
        result.append(ToolCall(f"semgrep-{index // BATCH}", argv, timeout=timeout, stdout=f"semgrep-{index // BATCH}.json"))
    return result


def read_reports(out: Path, count: int) -> tuple[list[dict], list[dict], list[str]]:
    """(results, errors, missing report names)."""
    results, errors, missing = [], [], []
    for index in range(count):
        report = out / f"semgrep-{index}.json"
        if not report.is_file():
            missing.append(report.name)
            continue
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            missing.append(report.name)
            continue
        results.extend(data.get("results", []))
        errors.extend(data.get("errors", []))
    return results, errors, missing


def to_hits(results: list[dict], errors: list[dict], _) -> list[Hit]:
    hits: list[Hit] = []
    for item in results:
        rule_id = item.get("check_id", "").rsplit(".", 1)[-1]
        rule_id = ALIASES.get(rule_id, rule_id)
        if rule_id not in RULES:
            continue
        path = original_path(item.get("path", ""))
        line = (item.get("start") or {}).get("line")
        hit = Hit(rule_id, path, line, source="semgrep")
        if rule_id in ("hardcoded-secret-key", "hardcoded-secret-fallback"):
            value = (item.get("extra") or {}).get("message", "")
            hit = classify_literal(hit, value, _)
            if hit is None:
                continue
        hits.append(hit)
    for error in errors:
        level = error.get("level", "error")
        kind = error.get("type", "")
        if isinstance(kind, list):
            kind = kind[0] if kind else ""
        if level not in ("error", "warn") or not any(word in str(kind) for word in
                                                      ("Syntax", "Lexical", "Parse", "Timeout", "Memory")):
            continue
        path = error.get("path")
        if not path:
            continue
        spans = error.get("spans") or [{}]
        line = ((spans[0] or {}).get("start") or {}).get("line")
        hits.append(Hit("scan-error", original_path(path), line, source="semgrep", severity="low",
                        detail=_("semgrep could not analyse this file ({kind}); it was not checked for injections.")
                        .format(kind=kind)))
    return hits


def failed(runs: dict[str, ToolRun], missing: list[str]) -> str | None:
    for name, run in runs.items():
        if name.startswith("semgrep") and (run.failed or (run.returncode or 0) not in (0, 1)):
            return run.reason()
    if missing:
        return f"no report ({', '.join(missing)})"
    return None
