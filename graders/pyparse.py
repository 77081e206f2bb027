"""Thread-safe parsing of Python source.

CPython 3.11's AST constructor keeps its recursion depth in shared state: `ast.parse` or
`compile` running in two threads at once can fail with "SystemError: AST constructor recursion
depth mismatch". Checks run side by side in threads, so every parse in the grader goes through here.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    with _LOCK:
        return ast.parse(source, filename=filename)


def compile_source(source: str, filename: str, mode: str = "exec"):
    with _LOCK:
        return compile(source, filename, mode)
