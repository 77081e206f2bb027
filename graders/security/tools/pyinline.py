"""Line-preserving inlining of one-line helpers, so that the taint analysis sees through them.

semgrep's open-source taint analysis is intra-procedural: a call to a helper of the same module is a
black box whose result is tainted when an argument is. `def clean(v): return html.escape(v)` then
looks like no sanitiser at all, `def ensure_str(v): return str(v)` is fine, and
`def run(cmd): return os.system(cmd)` hides a sink from its callers. A call `clean(x)` of a
module-level function whose body is a single `return EXPR` (on one line) is rewritten as `(EXPR)`
with each parameter replaced by `(argument)`: what the helper does is then analysed at the call.

Only plain helpers are inlined: no decorator, positional parameters only, called with exactly that
many positional arguments, name bound once in the module and never used as a local name. Every line
keeps its number. Standard library only; the code is parsed, never run.
"""

from __future__ import annotations

import ast
import sys

UNSAFE_INSIDE = (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr, ast.Lambda, ast.ListComp, ast.SetComp,
                 ast.DictComp, ast.GeneratorExp, ast.JoinedStr)


def _body(func: ast.FunctionDef) -> list:
    body = func.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def _helpers(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    found: dict[str, ast.FunctionDef] = {}
    bound: dict[str, int] = {}
    for node in tree.body:
        for sub in ast.walk(node):
            names = []
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                names = [sub.id]
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [sub.name]
            elif isinstance(sub, ast.arg):
                names = [sub.arg]
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                names = [(a.asname or a.name).split(".")[0] for a in sub.names]
            for name in names:
                bound[name] = bound.get(name, 0) + 1
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.decorator_list:
            continue
        args = node.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults:
            continue
        body = _body(node)
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            continue
        value = body[0].value
        if value.lineno != value.end_lineno or any(isinstance(n, UNSAFE_INSIDE) for n in ast.walk(value)):
            continue
        if any(isinstance(n, ast.Name) and n.id == node.name for n in ast.walk(value)):
            continue  # recursive
        if bound.get(node.name) == 1:
            found[node.name] = node
    return found


class Inliner:
    def __init__(self, source: str):
        self.tree = ast.parse(source)
        self.lines = source.encode("utf-8").split(b"\n")
        self.data = source.encode("utf-8")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def text(self, node) -> bytes:
        return self.data[self.starts[node.lineno - 1] + node.col_offset:self.starts[node.end_lineno - 1] + node.end_col_offset]

    def expansion(self, func: ast.FunctionDef, call: ast.Call) -> bytes | None:
        params = [a.arg for a in func.args.args]
        if call.keywords or len(call.args) != len(params) or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        value = _body(func)[0].value
        args = dict(zip(params, call.args))
        uses = [n for n in ast.walk(value) if isinstance(n, ast.Name) and n.id in args]
        for name, arg in args.items():
            if arg.lineno != arg.end_lineno and sum(1 for u in uses if u.id == name) > 1:
                return None  # a multi-line argument used twice would add lines
        line = self.lines[value.lineno - 1]
        pieces, last = [b"("], value.col_offset
        for use in sorted(uses, key=lambda n: n.col_offset):
            pieces += [line[last:use.col_offset], b"(", self.text(args[use.id]), b")"]
            last = use.end_col_offset
        pieces += [line[last:value.end_col_offset]]
        expanded = b"".join(pieces)
        missing = self.text(call).count(b"\n") - expanded.count(b"\n")
        return None if missing < 0 else expanded + b"\n" * missing + b")"

    def run(self) -> str | None:
        helpers = _helpers(self.tree)
        if not helpers:
            return None
        skip: set[int] = set()
        if sys.version_info < (3, 12):  # positions inside f-strings are unreliable before 3.12
            for node in ast.walk(self.tree):
                if isinstance(node, ast.JoinedStr):
                    skip.update(id(n) for n in ast.walk(node))
        edits = []
        for node in ast.walk(self.tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers
                    and id(node) not in skip):
                expanded = self.expansion(helpers[node.func.id], node)
                if expanded is not None:
                    start = self.starts[node.lineno - 1] + node.col_offset
                    end = self.starts[node.end_lineno - 1] + node.end_col_offset
                    edits.append((start, end, expanded))
        data, last = self.data, None
        for start, end, text in sorted(edits, reverse=True):
            if last is not None and end > last:
                continue  # a call inside another inlined call's arguments: the inner one is inlined
            data = data[:start] + text + data[end:]
            last = start
        return data.decode("utf-8") if edits else None


def inline(source: str) -> str | None:
    """The source with one-line helpers inlined at their calls, or None when nothing changed."""
    return Inliner(source).run()
