"""Known-vulnerable pinned dependencies (pip-audit), or a clear "not checked" finding.

We read the project's requirement files and pyproject.toml as data (never `pip install`, never a
build backend), write the pinned `name==version` lines to a private requirements file, and ask
pip-audit about that file only (`--no-deps --disable-pip`). pip-audit needs a vulnerability
database (PyPI's JSON API or OSV): when none answers, every dependency is reported as not checked
rather than passing silently. This step runs on the host (the sandbox has no network) and reads no
code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from graders.security.model import Hit
from graders.security.runner import quiet_env, tool_path

REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
PINNED = re.compile(r"^===?\s*([A-Za-z0-9][A-Za-z0-9._+!-]*)\s*$")
SERVICE_ENV = "CDA_PIP_AUDIT_SERVICE"
TIMEOUT_ENV = "CDA_PIP_AUDIT_TIMEOUT"


@dataclass
class Requirement:
    name: str
    version: str | None
    path: str
    line: int


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, str | None] | None:
    text = text.split(" #", 1)[0].split(";", 1)[0].strip()
    if not text or text.startswith(("#", "-", "git+", "http:", "https:", "file:", ".", "/")) or "://" in text:
        return None
    match = REQ_LINE.match(text)
    if not match:
        return None
    spec = match.group(3).split("--hash", 1)[0].strip().rstrip("\\").strip()
    pinned = PINNED.match(spec)
    return match.group(1), pinned.group(1) if pinned else None


def read_requirements(root: Path, rel: str) -> list[Requirement]:
    found = []
    try:
        lines = (root / rel).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return found
    for number, line in enumerate(lines, 1):
        parsed = parse_requirement(line)
        if parsed:
            found.append(Requirement(parsed[0], parsed[1], rel, number))
    return found


def read_pyproject(root: Path, rel: str) -> list[Requirement]:
    try:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError):
        return []
    specs = list((data.get("project") or {}).get("dependencies") or [])
    lines = text.splitlines()
    found = []
    for spec in specs:
        parsed = parse_requirement(spec)
        if not parsed:
            continue
        line = next((i for i, text_line in enumerate(lines, 1) if spec in text_line), 1)
        found.append(Requirement(parsed[0], parsed[1], rel, line))
    return found


def audit(pinned: list[Requirement], work: Path, timeout: float) -> tuple[dict | None, str | None]:
    """Run pip-audit on the pinned requirements; (report, None) or (None, why it could not run)."""
    exe = tool_path("pip-audit")
    if exe is None:
        return None, "pip-audit is not installed"
    req = work / "requirements-audit.txt"
    req.write_text("".join(f"{r.name}=={r.version}\n" for r in pinned), encoding="utf-8")
    home = tempfile.mkdtemp(prefix="pip-audit-home-", dir=work)
    service = os.environ.get(SERVICE_ENV, "pypi")
    argv = [exe, "-r", str(req), "--no-deps", "--disable-pip", "--vulnerability-service", service,
            "--format", "json", "--progress-spinner", "off", "--cache-dir", str(work / "pip-audit-cache"),
            "--output", str(work / "pip-audit.json")]
    env = {**{k: v for k, v in os.environ.items() if k.startswith(("PIP_", "HTTP", "HTTPS", "NO_PROXY", "REQUESTS_CA",
                                                                    "SSL_CERT", "http", "https", "no_proxy"))},
           **quiet_env(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env, cwd=str(work))
    except subprocess.TimeoutExpired:
        return None, f"pip-audit timed out after {timeout:g} s"
    report = work / "pip-audit.json"
    if not report.is_file():
        lines = [line for line in (proc.stderr or "").strip().splitlines() if line.strip()]
        reason = (lines[-1] if lines else f"exit code {proc.returncode}")
        return None, reason[:300]
    try:
        return json.loads(report.read_text(encoding="utf-8")), None
    except json.JSONDecodeError:
        return None, "pip-audit wrote an unreadable report"


def scan(root: Path, requirement_files: list[str], pyprojects: list[str], work: Path, _,
         *, offline: bool = False) -> tuple[list[Hit], str, dict]:
    """Hits, a one-line status message and metrics."""
    requirements: list[Requirement] = []
    for rel in requirement_files:
        requirements.extend(read_requirements(root, rel))
    for rel in pyprojects:
        requirements.extend(read_pyproject(root, rel))
    metrics = {"dependencies": len(requirements), "pinned": 0, "audited": 0, "vulnerabilities": 0}
    if not requirements:
        return [], _("No dependency list (requirements*.txt, pyproject.toml) found."), metrics
    hits: list[Hit] = []
    # pyproject.toml declares ranges on purpose; pins belong in requirement or lock files.
    unpinned = [r for r in requirements if not r.version and not r.path.endswith("pyproject.toml")]
    pinned = [r for r in requirements if r.version]
    metrics["pinned"] = len(pinned)
    by_file: dict[str, list[Requirement]] = {}
    for req in unpinned:
        by_file.setdefault(req.path, []).append(req)
    for path, reqs in by_file.items():
        hits.append(Hit("dependency-unpinned", path, reqs[0].line, source="pip-audit",
                        detail=_("Not pinned: {names}.").format(names=", ".join(r.name for r in reqs[:15])
                                                                 + (" …" if len(reqs) > 15 else ""))))
    if not pinned:
        return hits, _("No pinned dependency to check against vulnerability databases."), metrics
    first = pinned[0]
    if offline:
        report, reason = None, "offline mode"
    else:
        timeout = float(os.environ.get(TIMEOUT_ENV, "90"))
        report, reason = audit(pinned, work, timeout)
    audited: set[str] = set()
    if report is not None:
        where = {normalise(r.name): r for r in pinned}
        skipped = []
        for dep in report.get("dependencies", []):
            name = normalise(dep.get("name", ""))
            req = where.get(name)
            if dep.get("skip_reason"):
                skipped.append(dep.get("name", name))
                continue
            audited.add(name)
            for vuln in dep.get("vulns", []):
                metrics["vulnerabilities"] += 1
                ids = [vuln.get("id", "?"), *[a for a in vuln.get("aliases", []) if a.startswith("CVE-")]]
                fixes = ", ".join(vuln.get("fix_versions", [])) or _("none yet")
                hits.append(Hit(
                    "vulnerable-dependency", req.path if req else first.path, req.line if req else first.line,
                    source="pip-audit",
                    detail=_("{name} {version}: {ids}; fixed in {fixes}.").format(
                        name=dep.get("name"), version=dep.get("version"), ids=", ".join(ids), fixes=fixes),
                    references=["CWE-1395", *ids[:3], "OWASP A06:2021", "CNIL fiche 9 (guide RGPD du développeur)"],
                ))
        metrics["audited"] = len(audited)
        if skipped:
            reason = _("no vulnerability data for {names}").format(names=", ".join(skipped[:10]))
    if len(audited) < len(pinned):
        hits.append(Hit("dependencies-not-checked", first.path, first.line, source="pip-audit",
                        detail=_("{count} pinned dependencies not checked ({reason}).").format(
                            count=len(pinned) - len(audited), reason=reason or "?")))
        status = _("NOT checked: {count} of {total} pinned dependencies could not be looked up ({reason}).").format(
            count=len(pinned) - len(audited), total=len(pinned), reason=reason or "?")
    else:
        status = _("{count} pinned dependencies checked, {vulns} known vulnerability(ies).").format(
            count=len(pinned), vulns=metrics["vulnerabilities"])
    metrics["checked"] = len(audited) == len(pinned)
    return hits, status, metrics


if __name__ == "__main__":  # pragma: no cover - manual check: python -m graders.security.deps requirements.txt
    for item in read_requirements(Path("."), sys.argv[1]):
        print(item)
