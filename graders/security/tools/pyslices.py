"""A line-preserving rewrite of slices, so that semgrep's taint analysis follows them.

semgrep 1.185 does not propagate taint through a slice: `token = str(random.random())[2:]` or
`name = request.args["n"][:50]` loses the taint. We hand semgrep a copy of such files where
`value[a:b]` reads `(value).__getitem__(slice(a, b))`, a method call on the tainted value, which
semgrep does follow. Every line keeps its number (only columns move). Standard library only.
"""

from __future__ import annotations

import ast
import sys

parse = ast.parse


def _has_slice(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Slice) for n in ast.walk(node))


def _offsets(data: bytes) -> list[int]:
    starts = [0]
    for index, byte in enumerate(data):
        if byte == 0x0A:
            starts.append(index + 1)
    return starts


def rewrite_slices(source: str) -> str | None:
    """The rewritten source, or None when there is nothing to rewrite (or it does not parse)."""
    if "[" not in source or ":" not in source:
        return None
    try:
        tree = parse(source)
    except (SyntaxError, ValueError):
        return None
    inside_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and sys.version_info < (3, 12):  # positions unreliable before 3.12
            inside_fstring.update(id(n) for n in ast.walk(node))
    data = source.encode("utf-8")
    starts = _offsets(data)

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col

    edits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)) or id(node) in inside_fstring:
            continue
        if not isinstance(node.ctx, ast.Load):
            continue  # `v[a:b] = x` / `del v[a:b]`: a call cannot be assigned to
        parts = [node.value, node.slice.lower, node.slice.upper, node.slice.step]
        if any(part is not None and _has_slice(part) for part in parts):
            continue  # nested slices: the inner one is rewritten, this one left as it is
        if node.end_lineno is None or node.value.end_lineno is None:
            continue

        def text(part) -> bytes:
            if part is None:
                return b"None"
            return data[offset(part.lineno, part.col_offset):offset(part.end_lineno, part.end_col_offset)]

        start = offset(node.lineno, node.col_offset)
        end = offset(node.end_lineno, node.end_col_offset)
        original = data[start:end]
        pieces = [text(node.slice.lower), text(node.slice.upper)]
        if node.slice.step is not None:
            pieces.append(text(node.slice.step))
        replacement = b"(" + text(node.value) + b").__getitem__(slice(" + b", ".join(pieces) + b")"
        missing = original.count(b"\n") - replacement.count(b"\n")
        if missing < 0:
            continue
        replacement += b"\n" * missing + b")"
        edits.append((start, end, replacement))
    if not edits:
        return None
    for start, end, replacement in sorted(edits, reverse=True):
        data = data[:start] + replacement + data[end:]
    return data.decode("utf-8")
