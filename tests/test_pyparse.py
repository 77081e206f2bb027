"""Parsing in the grader goes through graders.pyparse (CPython 3.11's AST constructor is not thread-safe).

CI once failed with "SystemError: AST constructor recursion depth mismatch" when two checks parsed
test files at the same time; the lock in graders.pyparse prevents it. This guard keeps new code on it.
"""

import re
from pathlib import Path

import graders
from graders.pyparse import compile_source, parse

PACKAGE = Path(graders.__file__).parent
RAW = re.compile(r"\bast\.parse\(|(?<![\w.])compile\(")


def test_no_raw_parse_or_compile_in_the_grader():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "pyparse.py" or "runner" in path.parts or "tools" in path.parts:
            continue  # runner and tool scripts run alone in their own sandboxed process
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if RAW.search(line) and "trusted repository file" not in line:
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []


def test_helpers_parse_and_compile():
    assert parse("x = 1").body[0].targets[0].id == "x"
    namespace = {}
    exec(compile_source("y = 2", "<test>"), namespace)  # noqa: S102 - our own constant source
    assert namespace["y"] == 2
