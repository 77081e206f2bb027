"""Canary tests planted in the trusted test files of every run: one after each top-level test.

A canary always fails. If a run reports one as passed, or finishes without running it, the test
framework was tampered with (a monkeypatched runner, a rewritten report, a forged results file)
and the run's verdicts are worthless. Names look like ordinary tests so they are not easy to spare.
One after every test (not one per file) because learner code is often imported late, by a fixture
or inside a test: a patch made then must still meet a canary afterwards.
"""

from __future__ import annotations

import ast
import re
import secrets
from pathlib import Path

from graders.checks.pytest_discovery import is_test_file
from graders.pyparse import parse

WORDS = ("loan", "member", "item", "return", "late", "fee", "reservation", "catalogue", "search", "limit",
         "title", "author", "branch", "copy", "renewal", "notice", "account", "history", "status", "date")


def canary_name() -> str:
    return "test_" + "_".join(secrets.choice(WORDS) for _ in range(3)) + f"_{secrets.randbelow(90) + 10}"


def is_test_node(node) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.name.startswith("test")
    return isinstance(node, ast.ClassDef) and node.name.startswith("Test")


def plant(tests_dir: Path) -> set[str]:
    """Insert a failing canary after each top-level test of every test file (edits the copy in
    place; a file without tests gets one at its end); returns their node ids."""
    planted: set[str] = set()
    for path in sorted(p for p in tests_dir.rglob("*.py") if is_test_file(p)):
        source = path.read_text(encoding="utf-8")
        tree = parse(source, str(path))
        ends = [node.end_lineno for node in tree.body if is_test_node(node)] or [len(source.splitlines())]
        lines = source.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        taken = set(re.findall(r"def (\w+)\(", source))
        for end in sorted(set(ends), reverse=True):  # from the bottom, so earlier line numbers hold
            name = canary_name()
            while name in taken:
                name = canary_name()
            taken.add(name)
            a = secrets.randbelow(10**6)
            lines.insert(end, f"\n\ndef {name}():\n    assert {a} == {a + 1 + secrets.randbelow(1000)}\n")
            planted.add(f"{path.relative_to(tests_dir).as_posix()}::{name}")
        path.write_text("".join(lines), encoding="utf-8")
    return planted
