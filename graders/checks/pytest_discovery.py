"""Which tests a trusted test folder defines, read from its source without running anything.

The expected list is what a run is scored against: a test with no recorded result scores zero,
so a run that exits early or hides failures cannot gain points. For the same reason the number of
cases of a parametrized test is counted here, from the literal lists of its `parametrize`
decorators, and never taken from a run (learner code is imported during collection and could
make cases disappear).
"""

from __future__ import annotations

import ast
from pathlib import Path

from graders.pyparse import parse


def is_test_file(path: Path) -> bool:
    return path.suffix == ".py" and (path.name.startswith("test_") or path.stem.endswith("_test"))


def _test_nodes(tree: ast.Module):
    """(test id within the file, function node, enclosing class node or None)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            yield node.name, node, None
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    yield f"{node.name}::{item.name}", item, node


def _test_files(tests_dir: Path):
    for path in sorted(p for p in tests_dir.rglob("*.py") if is_test_file(p)):
        yield path.relative_to(tests_dir).as_posix(), parse(path.read_text(encoding="utf-8"), str(path))


def expected_tests(tests_dir: Path) -> list[str]:
    """Node ids (relative to tests_dir) of test functions and methods of Test* classes."""
    return [f"{rel}::{name}" for rel, tree in _test_files(tests_dir) for name, _, _ in _test_nodes(tree)]


def untested_python_files(tests_dir: Path) -> list[str]:
    """Python files of the folder that pytest will not collect but that define test functions."""
    found = []
    for path in sorted(p for p in tests_dir.rglob("*.py") if not is_test_file(p) and p.name != "conftest.py"):
        tree = parse(path.read_text(encoding="utf-8"), str(path))
        if any(True for _ in _test_nodes(tree)):
            found.append(path.relative_to(tests_dir).as_posix())
    return found


def _parametrize_count(decorator: ast.expr, constants: dict[str, ast.expr]) -> int | None:
    """Cases added by one `@pytest.mark.parametrize(names, values)` decorator; 1 for any other
    decorator; None when the values are not a literal the grader can count."""
    if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
        return 1
    if decorator.func.attr != "parametrize":
        return 1
    values = decorator.args[1] if len(decorator.args) > 1 else next(
        (k.value for k in decorator.keywords if k.arg == "argvalues"), None)
    if isinstance(values, ast.Name):
        values = constants.get(values.id)
    if isinstance(values, (ast.List, ast.Tuple, ast.Set)):
        return len(values.elts)
    return None


def _uses_fixture_params(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(k.arg == "params" for k in node.keywords):
            func = node.func
            if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) == "fixture":
                return True
    return False


def case_counts(tests_dir: Path) -> dict[str, int | None]:
    """Per test id, how many cases pytest will run it as: 1 when it is not parametrized, None when
    the grader cannot tell (values computed at run time, fixtures with params, a `pytestmark`)."""
    fixture_params = any(_uses_fixture_params(parse(p.read_text(encoding="utf-8"), str(p)))
                         for p in tests_dir.rglob("conftest.py"))
    counts: dict[str, int | None] = {}
    for rel, tree in _test_files(tests_dir):
        constants = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                     for t in node.targets if isinstance(t, ast.Name)}
        opaque = fixture_params or _uses_fixture_params(tree) or "pytestmark" in constants
        for name, function, cls in _test_nodes(tree):
            count: int | None = 1
            for decorator in [*function.decorator_list, *(cls.decorator_list if cls else [])]:
                factor = _parametrize_count(decorator, constants)
                count = None if count is None or factor is None else count * factor
            counts[f"{rel}::{name}"] = None if opaque else count
    return counts


def base_id(nodeid: str) -> str:
    """`test_a.py::test_x[param]` -> `test_a.py::test_x`."""
    return nodeid.split("[", 1)[0]
