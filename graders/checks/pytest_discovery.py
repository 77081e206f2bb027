"""Which tests a trusted test folder defines, read from its source without running anything.

The expected list is what a run is scored against: a test with no recorded result scores zero,
so a run that exits early or hides failures cannot gain points.
"""

from __future__ import annotations

import ast
from pathlib import Path
from graders.pyparse import parse


def is_test_file(path: Path) -> bool:
    return path.suffix == ".py" and (path.name.startswith("test_") or path.stem.endswith("_test"))


def expected_tests(tests_dir: Path) -> list[str]:
    """Node ids (relative to tests_dir) of test functions and methods of Test* classes."""
    ids: list[str] = []
    for path in sorted(p for p in tests_dir.rglob("*.py") if is_test_file(p)):
        rel = path.relative_to(tests_dir).as_posix()
        tree = parse(path.read_text(encoding="utf-8"), str(path))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                ids.append(f"{rel}::{node.name}")
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                        ids.append(f"{rel}::{node.name}::{item.name}")
    return ids


def base_id(nodeid: str) -> str:
    """`test_a.py::test_x[param]` -> `test_a.py::test_x`."""
    return nodeid.split("[", 1)[0]
