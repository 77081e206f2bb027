"""One finding per problem: merge what several rules or tools report for the same flaw.

1. A rule can be superseded by a more precise one in the same function: `weak-random` gives way to
   `weak-random-token`, `xss-returned` to `xss-reflected`... The SQL text built from request data
   (`sql-injection-string`) stays when the query is executed further down (`sql-injection`): it
   marks the other line of the same flaw, and is not counted twice (`superseded`).
2. On one line, findings that share a CWE collapse to the most confident one (semgrep over bandit).
Function boundaries come from Python's `ast` (the code is parsed, never run).
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from graders.security.catalog import CONFIDENCE_RANK, SEVERITY_RANK
from graders.security.model import Hit
from graders.pyparse import parse

SOURCE_PREFERENCE = {"semgrep": 5, "dockerfile": 4, "settings": 4, "detect-secrets": 3, "bandit": 2, "hadolint": 1}
# Superseded whatever the order of the lines (the precise sink comes first in the function).
SUPERSEDED_ANYWHERE = {"xss-returned"}


@lru_cache(maxsize=512)
def _functions(path: str) -> tuple[tuple[int, int], ...]:
    try:
        tree = parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return ()
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno, *[d.lineno for d in node.decorator_list]])
            spans.append((start, node.end_lineno or node.lineno))
    return tuple(sorted(spans, key=lambda span: span[1] - span[0]))


def function_of(root: Path, rel: str | None, line: int | None) -> tuple[int, int] | None:
    if not rel or not line or not rel.endswith((".py", ".pyw")):
        return None
    for start, end in _functions(str(root / rel)):
        if start <= line <= end:
            return start, end
    return (0, 0)  # module level


def rank(hit: Hit) -> tuple:
    return (not hit.extra.get("superseded"), CONFIDENCE_RANK.get(hit.effective_confidence(), 0),
            SEVERITY_RANK.get(hit.effective_severity(), 0), SOURCE_PREFERENCE.get(hit.source, 0))


def dedupe(hits: list[Hit], root: Path) -> list[Hit]:
    _functions.cache_clear()
    kept = []
    by_rule: dict[tuple[str | None, str], list[Hit]] = {}
    for hit in hits:
        by_rule.setdefault((hit.path, hit.rule), []).append(hit)
    for hit in hits:
        superseded = False
        for other_rule in hit.info.superseded_by:
            for other in by_rule.get((hit.path, other_rule), []):
                same_function = function_of(root, hit.path, hit.line) == function_of(root, other.path, other.line)
                later = (other.line or 0) >= (hit.line or 0) or hit.rule in SUPERSEDED_ANYWHERE
                if same_function and later:
                    superseded = True
                    break
            if superseded:
                break
        if not superseded:
            kept.append(hit)
        elif hit.info.keep_when_superseded:
            hit.extra["superseded"] = True
            kept.append(hit)
    # Rules reported once per function: keep the first line.
    first_seen: dict[tuple, Hit] = {}
    once = []
    for hit in sorted(kept, key=lambda h: (h.path or "", h.line or 0)):
        if hit.info.one_per_function:
            key = (hit.path, hit.rule, function_of(root, hit.path, hit.line))
            if key in first_seen:
                continue
            first_seen[key] = hit
        once.append(hit)
    kept = once
    # Same line, shared CWE (or same rule when there is no CWE): keep the best.
    result: list[Hit] = []
    for hit in sorted(kept, key=rank, reverse=True):
        duplicate = False
        for other in result:
            if other.path != hit.path or other.line != hit.line:
                continue
            if (hit.cwes & other.cwes) or (hit.rule == other.rule and (hit.finding_rule or hit.rule) == (other.finding_rule or other.rule)):
                duplicate = True
                break
        if not duplicate:
            result.append(hit)
    return sorted(result, key=lambda h: (h.path or "", h.line or 0, h.rule))
