"""Mutants and controls of a module's source, for the `mutation` check (run inside the sandbox).

Mutants come from cosmic-ray's operators (parso trees): each is the source with one operator applied
at one occurrence. Controls are variants that *behave the same* but read differently, built the way a
mutant is: a comparison of two plain operands mirrored (`a < b` -> `(b) > (a)`) or a condition negated
twice (`if x:` -> `if not not (x):`). Learner tests must pass on every control: tests that fail on one
react to the text of the code, not to what it does. Pure functions of the source; parsing only.
"""

from __future__ import annotations

import ast
import re

MIRROR = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
PLAIN = re.compile(r"[\w.\[\]'\" ]+")  # names, attributes, literals, subscripts: no call, no side effect


def compiles(source: str, path: str) -> str | None:
    """None when `source` compiles, else the reason."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _offsets(source: str) -> list[int]:
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _replace(source: str, start: tuple[int, int], end: tuple[int, int], text: str) -> str:
    starts = _offsets(source)
    a, b = starts[start[0] - 1] + start[1], starts[end[0] - 1] + end[1]
    return source[:a] + text + source[b:]


def _line(source: str, number: int) -> str:
    lines = source.splitlines()
    return lines[number - 1].strip()[:200] if 0 < number <= len(lines) else ""


def mutants(path: str, source: str, operator_names: list[str]) -> list[dict]:
    """Every mutant of `source` by the named operators that still compiles, in source order."""
    from cosmic_ray.ast import ast_nodes, get_ast
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator

    found = []
    for name in operator_names:
        operator = get_operator(name)()
        positions = [pos for node in ast_nodes(get_ast(source)) for pos in operator.mutation_positions(node)]
        for occurrence, ((line, _col), _end) in enumerate(positions):
            mutated = mutate_code(source, operator, occurrence)
            if mutated is None or mutated == source or compiles(mutated, path):
                continue
            changed = next((i + 1 for i, (a, b) in enumerate(zip(source.splitlines(), mutated.splitlines())) if a != b),
                           line)
            found.append({"file": path, "operator": name.split("/", 1)[-1], "occurrence": occurrence, "line": changed,
                          "original": _line(source, changed), "mutated": _line(mutated, changed), "source": mutated})
    found.sort(key=lambda m: (m["line"], m["operator"], m["occurrence"]))
    return found


def controls(path: str, source: str) -> list[dict]:
    """Every behaviour-preserving variant of `source` (mirrored comparison, condition negated twice)."""
    from cosmic_ray.ast import ast_nodes, get_ast

    pristine = ast.dump(ast.parse(source))
    found = []
    for node in ast_nodes(get_ast(source)):
        text = None
        if node.type == "comparison" and len(node.children) == 3 and node.children[1].type == "operator":
            left, op, right = node.children
            codes = [left.get_code(include_prefix=False), right.get_code(include_prefix=False)]
            if op.value in MIRROR and all(PLAIN.fullmatch(c) and "\n" not in c for c in codes):
                text, start, end = f"({codes[1]}) {MIRROR[op.value]} ({codes[0]})", left.start_pos, right.end_pos
        elif node.type in ("if_stmt", "while_stmt"):
            test = node.children[1]
            text, start, end = f"not not ({test.get_code(include_prefix=False)})", test.start_pos, test.end_pos
        if text is None:
            continue
        variant = _replace(source, start, end, text)
        if compiles(variant, path) is None and ast.dump(ast.parse(variant)) != pristine:
            found.append({"file": path, "line": start[0], "source": variant})
    return found


def spread(items: list, count: int) -> list:
    """At most `count` items, evenly spaced over the list (every part of the code gets mutants)."""
    if len(items) <= count:
        return list(items)
    return [items[int(i * len(items) / count)] for i in range(count)]
