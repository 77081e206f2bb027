"""The copies of Python files that semgrep reads: flows that cannot run pruned, slices unfolded.

Both rewrites keep every line at its number (tools/pyprune.py, tools/pyslices.py, driven by
tools/pyrewrite.py). They run in a subprocess of the analyser Python (the newest 3.12+ found, see
interpreters.py) so that the learner's 3.12+ syntax parses, and in the grader's own Python if that
fails. The code is parsed, never run. A file neither parses is handed to semgrep as it is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graders.security.interpreters import Analyser
from graders.security.tools.pyslices import rewrite_slices  # noqa: F401  (tests, and the tool's own API)

TOOL = Path(__file__).resolve().parent / "tools" / "pyrewrite.py"
TIMEOUT_S = 120


def rewrite_files(root: Path, files: list[str], dest: Path, python: Analyser) -> tuple[list[str], dict[str, str]]:
    """(files rewritten under dest, {file: why it does not parse}). Nothing is rewritten if both Pythons fail."""
    dest.mkdir(parents=True, exist_ok=True)
    manifest = dest.parent / "rewrite-manifest.json"
    manifest.write_text(json.dumps({"root": str(root), "out": str(dest), "files": files}), encoding="utf-8")
    for interpreter in dict.fromkeys([python.python, sys.executable]):
        try:
            proc = subprocess.run([interpreter, "-I", str(TOOL), str(manifest)], capture_output=True, text=True,
                                  timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, env={"PYTHONDONTWRITEBYTECODE": "1"})
            outcome = json.loads(proc.stdout) if proc.returncode == 0 else None
        except (OSError, subprocess.SubprocessError, json.JSONDecodeError):
            outcome = None
        if outcome is not None:
            return list(outcome.get("rewritten", [])), dict(outcome.get("unparsed", {}))
    return [], {}
