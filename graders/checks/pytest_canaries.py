"""Canary tests planted at random places in the trusted test files of every run.

A canary always fails. If a run reports one as passed, or finishes without running it, the test
framework was tampered with (a monkeypatched runner, a rewritten report, a forged results file)
and the run's verdicts are worthless. Names look like ordinary tests so they are not easy to spare.
"""

from __future__ import annotations

import ast
import secrets
from pathlib import Path

from graders.checks.pytest_discovery import is_test_file
from graders.pyparse import parse

WORDS = ("loan", "member", "item", "return", "late", "fee", "reservation", "catalogue", "search", "limit",
         "title", "author", "branch", "copy", "renewal", "notice", "account", "history", "status", "date")


def canary_name() -> str:
    return "test_" + "_".join(secrets.choice(WORDS) for _ in range(3)) + f"_{secrets.randbelow(90) + 10}"


def plant(tests_dir: Path) -> set[str]:
    """Insert one failing canary per test file (edits the copy in place); returns their node ids."""
    planted: set[str] = set()
    for path in sorted(p for p in tests_dir.rglob("*.py") if is_test_file(p)):
        source = path.read_text(encoding="utf-8")
        tree = parse(source, str(path))
        anchors = [
            (node.decorator_list[0].lineno if node.decorator_list else node.lineno)
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        lines = source.splitlines(keepends=True)
        name = canary_name()
        while f"def {name}(" in source:
            name = canary_name()
        a = secrets.randbelow(10**6)
        canary = f"def {name}():\n    assert {a} == {a + 1 + secrets.randbelow(1000)}\n\n\n"
        at = (secrets.choice(anchors) - 1) if anchors else len(lines)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.insert(at, canary)
        path.write_text("".join(lines), encoding="utf-8")
        planted.add(f"{path.relative_to(tests_dir).as_posix()}::{name}")
    return planted
