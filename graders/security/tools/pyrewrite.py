"""Rewrite Python files for semgrep, line for line: inline one-line helpers (pyinline), prune what cannot
run (pyprune), then unfold slices (pyslices). argv: MANIFEST.json, {"root": folder, "out": folder, "files": [relative paths]}.

Run by the analyser Python (the newest 3.12+ found, see graders/security/interpreters.py), so that the
learner's 3.12+ syntax parses. Writes out/<file> for each file it changed and prints a JSON object:
{"rewritten": [...], "unparsed": {file: reason}}. Standard library only; the code is parsed, never run.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pyinline import inline  # noqa: E402
from pyprune import prune  # noqa: E402
from pyslices import rewrite_slices  # noqa: E402


def rewrite(source: str) -> str | None:
    """The rewritten source, or None when nothing changed. SyntaxError when it does not parse."""
    text = source
    for step in (inline, prune, rewrite_slices):
        changed = step(text)
        text = changed if changed is not None else text
    return text if text != source else None


def main(manifest_path: str) -> int:
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    outcome = {"rewritten": [], "unparsed": {}}
    for rel in manifest["files"]:
        try:
            with open(os.path.join(manifest["root"], rel), encoding="utf-8") as handle:
                source = handle.read()
            text = rewrite(source)
        except SyntaxError as exc:
            outcome["unparsed"][rel] = f"line {exc.lineno}: {exc.msg}"
            continue
        except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError) as exc:
            outcome["unparsed"][rel] = type(exc).__name__
            continue
        if text is None:
            continue
        target = os.path.join(manifest["out"], rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        outcome["rewritten"].append(rel)
    json.dump(outcome, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
