"""Shared helpers for the test suite (the session-wide fixtures live in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE_LABS = REPO / "tests" / "fixtures" / "labs"
GOLDEN = REPO / "tests" / "golden"
UPDATE_GOLDEN = "CDA_UPDATE_GOLDEN"
CDA = str(Path(sys.executable).parent / "cda")


def run_cda(*args: str, labs_dir: Path | None = None, cwd: Path | None = None, timeout: float = 300,
            extra_env: dict[str, str] | None = None):
    env = {**os.environ, **(extra_env or {})}
    if labs_dir is not None:
        env["CDA_LABS_DIR"] = str(labs_dir)
    env.pop("CDA_DEBUG", None)
    return subprocess.run([CDA, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


def copy_tree(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest)
    return dest


def tree_snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_golden(name: str, text: str) -> None:
    """`text` is the golden file tests/golden/NAME; CDA_UPDATE_GOLDEN=1 (`make golden`) rewrites it."""
    path = GOLDEN / name
    if os.environ.get(UPDATE_GOLDEN) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"golden file {path} missing: run `make golden` ({UPDATE_GOLDEN}=1)"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file (`make golden` accepts the new output)"
