"""No free points: a static check judges code only where the code does something.

A check that declares `requires` (security, bandit, sqlfluff... on the same files as the lab's
functional checks) is *not assessed* and earns nothing when every functional check it requires
that ran scored zero, or when the submission is the lab's starter unchanged: there is no code to
flag, which is not the same as secure code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from graders.labs import Lab
from graders.results import CheckResult

IGNORED = {".cda-lab", "__pycache__", ".ipynb_checkpoints", ".git"}


def _files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and not IGNORED & set(p.relative_to(root).parts)}


def _same_bytes(one: Path, two: Path) -> bool:
    return hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(two.read_bytes()).digest()


def is_starter(lab: Lab, workspace: Path) -> bool:
    """The submission holds exactly the starter's files with the same bytes (sizes compared before
    any file is read, so a submission that changed anything is told apart cheaply)."""
    starter, submitted = _files(lab.path / "starter"), _files(workspace)
    if not starter or starter.keys() != submitted.keys():
        return False
    if any(starter[name].stat().st_size != submitted[name].stat().st_size for name in starter):
        return False
    return all(_same_bytes(starter[name], submitted[name]) for name in starter)


def withhold(lab: Lab, checks: list[CheckResult], unchanged_starter: bool, _) -> list[CheckResult]:
    by_id = {c.id: c for c in checks}
    specs = {s.id: s for s in lab.manifest.checks}
    out = []
    for check in checks:
        required = [by_id[r] for r in specs[check.id].requires if r in by_id]
        absent = unchanged_starter or (required and all(r.score == 0 for r in required))
        if not specs[check.id].requires or not absent:
            out.append(check)
            continue
        reason = (_("the submission is the starter unchanged") if unchanged_starter else
                  _("the functional checks it relies on ({checks}) all fail").format(
                      checks=", ".join(r.id for r in required)))
        out.append(check.model_copy(update={
            "score": 0.0, "status": "skipped", "assessed": False,
            "message": _("Not assessed: {reason}; a review of code that does not work yet earns nothing.").format(
                reason=reason)}))
    return out
