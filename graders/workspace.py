"""Copying a submission into a fresh workspace, refusing what could reach outside it."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from graders.errors import BadInput
from graders.results import Finding

# Never part of a submission: VCS data, caches (the CI templates keep theirs in .cache/), gitlab-ci-local's state.
SKIPPED_DIRS = {".git", "__pycache__", ".venv", "venv", "node_modules", ".pytest_cache", ".mypy_cache", ".cache",
                ".gitlab-ci-local"}


def copy_submission(source: Path, dest: Path, *, max_bytes: int, max_files: int, _=lambda s: s) -> list[Finding]:
    """Copy regular files and folders only; symlinks, devices and FIFOs are left out and reported.

    The learner's own folder is only ever read. Raises BadInput when the submission is too big.
    """
    findings: list[Finding] = []
    total_bytes = 0
    total_files = 0
    source = source.resolve()
    for root, dirs, files in os.walk(source, followlinks=False):
        rel_root = Path(root).relative_to(source)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in list(dirs):
            if os.path.islink(os.path.join(root, name)):
                dirs.remove(name)
                findings.append(_skipped(rel_root / name, _("symbolic link"), _))
        (dest / rel_root).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            rel = rel_root / name
            path = Path(root, name)
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                findings.append(_skipped(Path(os.fsencode(rel).decode("utf-8", "replace")), _("non-UTF-8 file name"), _))
                continue
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                findings.append(_skipped(rel, _("symbolic link"), _))
                continue
            if not stat.S_ISREG(mode):
                findings.append(_skipped(rel, _("special file (device, FIFO or socket)"), _))
                continue
            total_files += 1
            total_bytes += os.lstat(path).st_size
            if total_files > max_files or total_bytes > max_bytes:
                raise BadInput(
                    f"{source}: submission too large (limit {max_files} files, {max_bytes // (1024 * 1024)} MB)"
                )
            shutil.copyfile(path, dest / rel, follow_symlinks=False)
    return findings


def _skipped(rel: Path, why: str, _) -> Finding:
    return Finding(
        rule="submission-file-skipped",
        severity="low",
        message=_("{path}: {why}, not copied").format(path=rel, why=why),
        path=str(rel),
    )
