"""Which files each scanner reads. The list is ours, passed explicitly to the tools, so that a
`.semgrepignore`, `.bandit` or `.gitignore` in the scanned project cannot hide code from the grader."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

SKIPPED_DIRS = {
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "env", ".env", "virtualenv", "node_modules",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "dist", "build",
    ".eggs", ".idea", ".vscode", "htmlcov", ".cache", "bower_components", "vendor",
}
TEST_DIRS = {"tests", "test", "testing"}
TEST_FILE = re.compile(r"^(test_.*\.py|.*_test\.py|conftest\.py)$")
PYTHON_SUFFIXES = {".py", ".pyw"}
TEMPLATE_SUFFIXES = {".html", ".htm", ".jinja", ".jinja2", ".j2", ".djhtml"}
DOCKERFILE = re.compile(r"^(Dockerfile|Containerfile)(\..+)?$|.+\.(dockerfile|Dockerfile)$", re.IGNORECASE)
REQUIREMENTS = re.compile(r"^(.*requirements.*\.(txt|lock)|constraints.*\.txt)$", re.IGNORECASE)
# Files where detect-secrets finds hashes rather than secrets, or that are not text.
SECRET_SKIPPED_NAMES = {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "Pipfile.lock",
                        "uv.lock", "Cargo.lock", "composer.lock", "go.sum", "requirements.lock"}
SECRET_SKIPPED_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".bmp", ".svg", ".pdf", ".zip", ".gz", ".tgz", ".bz2",
    ".xz", ".7z", ".tar", ".whl", ".egg", ".so", ".dll", ".dylib", ".pyc", ".pyo", ".class", ".jar", ".woff",
    ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".avi", ".mov", ".sqlite", ".sqlite3", ".db", ".pkl",
    ".npy", ".npz", ".parquet", ".xlsx", ".docx", ".pptx", ".min.js", ".map", ".lock",
}
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 20_000


@dataclass
class Targets:
    python: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    dockerfiles: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    pyprojects: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    truncated: bool = False


def _excluded(rel: str, patterns: list[str]) -> bool:
    parts = rel.split("/")
    for pattern in patterns:
        pattern = pattern.strip().strip("/")
        if not pattern:
            continue
        if fnmatch.fnmatch(rel, pattern) or any(fnmatch.fnmatch(part, pattern) for part in parts):
            return True
        if rel == pattern or rel.startswith(pattern + "/"):
            return True
    return False


def discover(root: Path, *, paths: list[str] | None = None, exclude: list[str] | None = None,
             include_tests: bool = False) -> Targets:
    """Walk `root` (or the given sub-paths), never following symbolic links."""
    exclude = list(exclude or [])
    targets = Targets()
    starts = [root / p for p in (paths or ["."])]
    seen: set[str] = set()
    count = 0
    for start in starts:
        if start.is_file():
            walk = [(str(start.parent), [], [start.name])]
        else:
            walk = os.walk(start, followlinks=False)
        for folder, dirs, files in walk:
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
                             and not os.path.islink(os.path.join(folder, d)))
            for name in sorted(files):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                if rel in seen or os.path.islink(full) or not os.path.isfile(full):
                    continue
                seen.add(rel)
                if _excluded(rel, exclude):
                    continue
                count += 1
                if count > MAX_FILES:
                    targets.truncated = True
                    return targets
                try:
                    size = os.path.getsize(full)
                except OSError:
                    continue
                is_test = bool(set(rel.split("/")[:-1]) & TEST_DIRS) or bool(TEST_FILE.match(name))
                suffix = Path(name).suffix.lower()
                if suffix in PYTHON_SUFFIXES and size <= MAX_FILE_BYTES and (include_tests or not is_test):
                    targets.python.append(rel)
                if suffix in TEMPLATE_SUFFIXES and size <= MAX_FILE_BYTES and (include_tests or not is_test):
                    targets.templates.append(rel)
                if DOCKERFILE.match(name):
                    targets.dockerfiles.append(rel)
                if REQUIREMENTS.match(name):
                    targets.requirements.append(rel)
                if name == "pyproject.toml":
                    targets.pyprojects.append(rel)
                lowered = name.lower()
                if (size <= MAX_FILE_BYTES and name not in SECRET_SKIPPED_NAMES
                        and not any(lowered.endswith(s) for s in SECRET_SKIPPED_SUFFIXES)):
                    targets.text.append(rel)
    return targets
