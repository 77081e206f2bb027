"""`cda release LAB -o DIR`: the learner-facing repository of a repo or web lab.

One git repository with one initial commit, holding what a learner may read and nothing else:
the starter (with its visible tests), the statement as ENONCE.md, `.cda-lab`, and the CI
workflows that run the lab's visible checks (environments/ci/). The lab's `grader/`,
`solution/` and `examples/` never enter it, and no file of the release may contain a line of a
hidden test: the release is refused (exit 2) when one does. Notebook labs keep nbgrader's release.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from graders.errors import BadInput
from graders.labs import Lab
from graders.paths import REPO_ROOT

STATEMENT = "ENONCE.md"
CI_FILES = {"github-actions.yml": ".github/workflows/cda.yml", "gitlab-ci.yml": ".gitlab-ci.yml"}
PRIVATE_FOLDERS = ("grader", "solution", "examples")
MIN_MARKER_LENGTH = 24  # shorter lines (`import pytest`, `assert x == 1`) are common to any test file


def hidden_markers(lab: Lab) -> set[str]:
    """Lines of the lab's hidden files (grader/) long enough to identify them, minus the ones the
    starter or the statement already show (a shared import, a fixture the learner has too)."""
    grader = lab.path / "grader"
    lines = {line.strip() for path in sorted(grader.rglob("*")) if path.is_file()
             for line in _text(path).splitlines() if len(line.strip()) >= MIN_MARKER_LENGTH}
    public = "\n".join(_text(path) for path in _public_files(lab))
    return {line for line in lines if line not in public}


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _public_files(lab: Lab) -> list[Path]:
    starter = lab.path / "starter"
    files = [p for p in sorted(starter.rglob("*")) if p.is_file()] if starter.is_dir() else []
    statement = lab.path / "README.md"
    return files + ([statement] if statement.is_file() else [])


def leaks(folder: Path, markers: set[str]) -> list[str]:
    """`path: marker` for every hidden-test line found in a file of `folder` (.git left out)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(folder).parts:
            text = _text(path)
            found += [f"{path.relative_to(folder)}: {m[:60]}" for m in sorted(markers) if m in text]
    return found


def _git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "cda", "GIT_AUTHOR_EMAIL": "cda@localhost",
           "GIT_COMMITTER_NAME": "cda", "GIT_COMMITTER_EMAIL": "cda@localhost"}
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, env=env)
    if done.returncode:
        raise BadInput(f"git {args[0]} in {folder}: {done.stderr.strip().splitlines()[-1:] or done.returncode}")


def release_lab(lab: Lab, dest: Path) -> Path:
    """Write the learner repository of `lab` into `dest` (absent or empty) and commit it once."""
    if lab.manifest.kind != "repo":
        raise BadInput(f"{lab.id}: a {lab.manifest.kind} lab; release it with nbgrader "
                       "(`nbgrader generate_assignment`, see docs/notebooks.md)")
    starter = lab.path / "starter"
    if not starter.is_dir():
        raise BadInput(f"{lab.id}: no starter/ folder to release; nothing written")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BadInput(f"{dest}: exists and is not an empty folder")
    markers = hidden_markers(lab)
    staging = dest.with_name(f".{dest.name}.release-tmp")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(starter, staging, symlinks=False,
                        ignore=shutil.ignore_patterns(*PRIVATE_FOLDERS, "__pycache__", "*.pyc", ".git"))
        statement = lab.path / "README.md"
        if statement.is_file():
            shutil.copyfile(statement, staging / STATEMENT)
        (staging / ".cda-lab").write_text(lab.id + "\n", encoding="utf-8")
        for name, target in CI_FILES.items():
            source = REPO_ROOT / "environments" / "ci" / name
            if source.is_file() and not (staging / target).exists():  # the C11 lab's starter has its own
                (staging / target).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, staging / target)
        found = leaks(staging, markers)
        if found:
            raise BadInput(f"{lab.id}: hidden-test text in the release, nothing written ({found[0]})")
        _git(staging, "init", "--quiet", "--initial-branch=main")
        _git(staging, "add", "--all")
        _git(staging, "commit", "--quiet", "--no-verify", "-m", f"{lab.manifest.title} ({lab.id})")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            dest.rmdir()
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


def release_course(labs: list[Lab], dest: Path) -> list[Path]:
    """One repository per repo lab, `dest/<lab id>/`; notebook labs are left to nbgrader."""
    chosen = [lab for lab in labs if lab.manifest.kind == "repo"]
    for lab in chosen:  # every lab checked before anything is written
        if not (lab.path / "starter").is_dir():
            raise BadInput(f"{lab.id}: no starter/ folder to release; nothing written")
        if (dest / lab.id).exists():
            raise BadInput(f"{dest / lab.id}: exists; nothing written")
    return [release_lab(lab, dest / lab.id) for lab in chosen]
