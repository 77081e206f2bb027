"""Which Python runs the Python analysers (bandit): one that parses the learner's syntax.

The grader runs on Python 3.11; its `ast` cannot parse Python 3.12+ syntax (PEP 701 f-strings such as
f'{x.decode('utf-8')}', `type` aliases, PEP 695 generics). `make analysers` builds
`.venv/analysers/py3.X` on the newest Python 3.12+ found on the machine, with its own pinned bandit
(`graders/security/analysers.lock`); `analyser()` returns it, or the grader's own Python when there
is none. Whatever the chosen Python cannot parse is reported "not checked" by name, never skipped.

    make analysers     # find_newer_python(), then a venv with the pinned bandit
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ENV = "CDA_ANALYSER_PYTHON"        # an interpreter (or venv python) that has bandit: overrides the search
ANALYSERS = Path(sys.prefix) / "analysers"
MIN_VERSION = (3, 12)
_VERSION = re.compile(r"^version(?:_info)?\s*=\s*(\d+)\.(\d+)", re.MULTILINE)
_HOME = re.compile(r"^home\s*=\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Analyser:
    python: str                    # the interpreter to start (a venv's bin/python)
    version: tuple[int, int]
    folders: tuple[str, ...] = ()  # what a sandbox must see read-only for it to start (venv, base install)

    @property
    def label(self) -> str:
        return f"Python {self.version[0]}.{self.version[1]}"


def _venv_analyser(python: Path) -> Analyser | None:
    """A venv's python with bandit installed, or None."""
    venv = python.parent.parent
    cfg = venv / "pyvenv.cfg"
    try:
        text = cfg.read_text(encoding="utf-8")
    except OSError:
        return None
    match = _VERSION.search(text)
    home = _HOME.search(text)
    if not match or not python.exists():
        return None
    version = (int(match.group(1)), int(match.group(2)))
    if not (venv / "lib" / f"python{version[0]}.{version[1]}" / "site-packages" / "bandit" / "__init__.py").is_file():
        return None
    folders = {str(venv.resolve())}
    if home:
        base = Path(home.group(1).strip()).resolve()
        folders.add(str(base.parent if base.name == "bin" else base))
    return Analyser(str(python), version, tuple(sorted(folders)))


def grader_analyser() -> Analyser:
    from graders.sandbox.bubblewrap import python_dirs  # the grader's own Python is already visible there

    return Analyser(sys.executable, sys.version_info[:2], tuple(python_dirs()))


def analyser() -> Analyser:
    """The newest Python with bandit: $CDA_ANALYSER_PYTHON, then .venv/analysers/*, then the grader's own."""
    override = os.environ.get(ENV)
    if override:
        found = _venv_analyser(Path(override))
        if found:
            return found
    candidates = [a for p in sorted(ANALYSERS.glob("py3.*/bin/python")) if (a := _venv_analyser(p))]
    own = grader_analyser()
    best = max(candidates, key=lambda a: a.version, default=None)
    return best if best and best.version > own.version else own


def _version_of(python: str) -> tuple[int, int] | None:
    try:
        proc = subprocess.run([python, "-I", "-c", "import sys; print(*sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    parts = proc.stdout.split()
    return (int(parts[0]), int(parts[1])) if proc.returncode == 0 and len(parts) == 2 else None


def find_newer_python() -> str | None:
    """The newest Python >= 3.12 on this machine: PATH, pyenv versions, uv-managed and system installs."""
    roots = [os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")]
    patterns = [f"{roots[0]}/versions/3.*/bin/python3", os.path.expanduser("~/.local/share/uv/python/*/bin/python3"),
                "/usr/bin/python3.*", "/usr/local/bin/python3.*", "/opt/python*/bin/python3"]
    seen, found = set(), []
    names = [shutil.which(f"python3.{minor}") for minor in range(12, 20)]
    for candidate in [n for n in names if n] + [p for pattern in patterns for p in sorted(glob.glob(pattern))]:
        if not re.search(r"python3(\.\d+)?$", candidate) or "shims" in candidate:
            continue
        real = os.path.realpath(candidate)
        if real in seen:
            continue
        seen.add(real)
        version = _version_of(candidate)
        if version and version >= MIN_VERSION:
            found.append((version, candidate))
    return max(found)[1] if found else None
