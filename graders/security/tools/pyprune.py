"""Walk a module's statements with what is known for certain (pyfold) and prune what cannot run.

`prune(source)` returns the rewritten source, or None when nothing changed. See pyfold.py for what
is folded. Standard library only (run by the analyser Python, see graders/security/interpreters.py).
"""

from __future__ import annotations

import ast
import copy
import sys

try:  # a script in the analyser Python (tools folder on sys.path), or a module of the grader
    from pyfold import UNKNOWN, Box, const, lookup, mutate, new_box
except ImportError:
    from graders.security.tools.pyfold import UNKNOWN, Box, const, lookup, mutate, new_box

SKIPPED_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
MATCH = getattr(ast, "Match", ())


def _stored(node) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            names.add(sub.id)
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            names.update(sub.names)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in sub.names)
        elif isinstance(sub, ast.MatchAs) and sub.name:
            names.add(sub.name)
    return names


def _loaded(node) -> set[str]:
    return {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name)}


class Pruner:
    def __init__(self, source: str):
        self.tree = ast.parse(source)
        self.data = source.encode("utf-8")
        self.starts = [0] + [i + 1 for i, b in enumerate(self.data) if b == 0x0A]
        self.edits: list[tuple[int, int, bytes]] = []
        self.helpers: dict[str, object] = {}
        self.returns: list | None = None
        self.names: dict[int, tuple[set[str], set[str]]] = {}
        self.unreliable: set[int] = set()
        if sys.version_info < (3, 12):  # positions inside f-strings are unreliable before 3.12
            for node in ast.walk(self.tree):
                if isinstance(node, ast.JoinedStr):
                    self.unreliable.update(id(n) for n in ast.walk(node) if n is not node)

    # ------------------------------------------------------------------ text edits
    def pos(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col

    def span(self, node) -> tuple[int, int]:
        line = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        col = node.col_offset if line == node.lineno else 0
        if line != node.lineno:
            col = min(d.col_offset - 1 for d in node.decorator_list if d.lineno == line)
        return self.pos(line, col), self.pos(node.end_lineno, node.end_col_offset)

    def replace(self, start: int, end: int, text: bytes, newlines_inside: bool = False) -> None:
        missing = self.data[start:end].count(b"\n") - text.count(b"\n")
        if missing < 0:
            return
        text = (text[:-1] + b"\n" * missing + text[-1:]) if newlines_inside else text + b"\n" * missing
        self.edits.append((start, end, text))

    def kill(self, body: list) -> None:
        """A dead block: `pass` on its first line, its other lines empty."""
        start, end = self.span(body[0])[0], self.span(body[-1])[1]
        self.replace(start, end, b"pass")

    def result(self) -> str | None:
        if not self.edits:
            return None
        data, last = self.data, None
        for start, end, text in sorted(self.edits, reverse=True):
            if last is not None and end > last:
                continue  # overlapping edits: keep the later one only
            data = data[:start] + text + data[end:]
            last = start
        return data.decode("utf-8")

    # ------------------------------------------------------------------ expressions
    def reads(self, node, env: dict, used: set[int]) -> None:
        """Rewrite known reads inside an expression; `used` collects Name nodes read in a known way."""
        if node is None or isinstance(node, SKIPPED_SCOPES) or id(node) in self.unreliable:
            return
        if isinstance(node, (ast.Subscript, ast.Call)):
            value = lookup(node, env)
            if value is not UNKNOWN:
                self.replace(*self.span(node), b"(" + repr(value).encode() + b")", newlines_inside=True)
                used.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Name))
                return
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.helpers
                and node.func.id not in env):
            self.replace(*self.span(node), b"(" + repr(self.helpers[node.func.id]).encode() + b")", True)
            return
        if isinstance(node, ast.IfExp):
            test = const(node.test, env)
            if test is not UNKNOWN:
                live = node.body if test else node.orelse
                start, end = self.span(node)
                live_start, live_end = self.span(live)
                self.replace(start, live_start, b"(", newlines_inside=False)
                self.replace(live_end, end, b")", newlines_inside=True)
                self.reads(live, env, used)
                return
        for child in ast.iter_child_nodes(node):
            self.reads(child, env, used)

    def forget_escaped(self, node, env: dict, used: set[int]) -> None:
        """A tracked container used in any other way (passed on, aliased, iterated) is no longer known."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and id(sub) not in used and isinstance(env.get(sub.id), Box):
                env[sub.id] = UNKNOWN

    # ------------------------------------------------------------------ statements
    def block(self, body: list, env: dict) -> None:
        for stmt in body:
            self.statement(stmt, env)

    @staticmethod
    def params(func) -> dict:
        args = getattr(func, "args", None)
        if args is None:
            return {}
        every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
        return {a.arg: UNKNOWN for a in every}

    def invalidate(self, node, env: dict) -> None:
        key = id(node)
        if key not in self.names:  # compound statements are invalidated before and after: walk once
            self.names[key] = (_stored(node), _loaded(node))
        stored, loaded = self.names[key]
        for name in stored | {n for n in loaded if isinstance(env.get(n), Box)}:
            env[name] = UNKNOWN

    def statement(self, stmt, env: dict) -> None:
        used: set[int] = set()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for expr in getattr(stmt, "decorator_list", []):
                self.reads(expr, env, used)
            env[stmt.name] = UNKNOWN
            saved, self.returns = self.returns, None
            self.block(stmt.body, self.params(stmt))
            self.returns = saved
            return
        if isinstance(stmt, ast.If):
            return self.branch(stmt, env)
        if isinstance(stmt, MATCH):
            return self.match(stmt, env)
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith)) or (
                sys.version_info >= (3, 11) and isinstance(stmt, getattr(ast, "TryStar", ()))):
            self.invalidate(stmt, env)
            for field in ("iter", "test"):
                self.reads(getattr(stmt, field, None), env, used)
            for item in getattr(stmt, "items", []):
                self.reads(item.context_expr, env, used)
            for handler in getattr(stmt, "handlers", []):
                self.block(handler.body, dict(env))
            for field in ("body", "orelse", "finalbody"):
                self.block(getattr(stmt, field, []), dict(env))
            self.invalidate(stmt, env)
            return
        if isinstance(stmt, ast.Return):
            self.reads(stmt.value, env, used)
            if self.returns is not None:
                self.returns.append(const(stmt.value, env) if stmt.value is not None else None)
            return
        self.simple(stmt, env, used)

    def simple(self, stmt, env: dict, used: set[int]) -> None:
        value = getattr(stmt, "value", None)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        box = new_box(value, env) if value is not None else None
        if box is None and value is not None:
            self.reads(value, env, used)
        for target in targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                self.reads(target.slice, env, used)
        known = const(value, env) if value is not None else UNKNOWN
        if known is UNKNOWN and value is not None:
            known = lookup(value, env)
        call = value if isinstance(value, ast.Call) else None
        if call is not None and mutate(call, env):
            used.add(id(call.func.value))
            known = UNKNOWN  # the result of pop() etc.: not tracked
        for target in targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and not isinstance(stmt, ast.AugAssign):
                self.store_item(target, known if box is None else UNKNOWN, env)
                used.add(id(target.value))
        self.forget_escaped(stmt, env, used)
        for name in _stored(stmt):
            env[name] = UNKNOWN
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and len(targets) == 1 and isinstance(targets[0], ast.Name):
            env[targets[0].id] = box if box is not None else known
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            env[stmt.target.id] = UNKNOWN

    def store_item(self, target: ast.Subscript, value, env: dict) -> None:
        box = env.get(target.value.id)
        key = const(target.slice, env)
        if not isinstance(box, Box) or key is UNKNOWN:
            env[target.value.id] = UNKNOWN
        elif box.kind == "dict":
            box.items[key] = value
        elif box.kind == "list" and isinstance(key, int) and -len(box.items) <= key < len(box.items):
            box.items[key] = value
        else:
            env[target.value.id] = UNKNOWN

    def branch(self, stmt: ast.If, env: dict) -> None:
        used: set[int] = set()
        self.reads(stmt.test, env, used)
        test = const(stmt.test, env)
        if test is UNKNOWN:
            self.forget_escaped(stmt.test, env, used)
            self.invalidate(stmt, env)
            self.block(stmt.body, dict(env))
            self.block(stmt.orelse, dict(env))
            self.invalidate(stmt, env)
            return
        live, dead = (stmt.body, stmt.orelse) if test else (stmt.orelse, stmt.body)
        if dead and not (len(dead) == 1 and isinstance(dead[0], ast.If) and self._is_elif(dead[0])):
            self.kill(dead)
        elif dead:  # a dead `elif` chain: every body in it is dead
            node = dead[0]
            while True:
                self.kill(node.body)
                if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If) and self._is_elif(node.orelse[0]):
                    node = node.orelse[0]
                    continue
                if node.orelse:
                    self.kill(node.orelse)
                break
        self.block(live, env)

    def _is_elif(self, node: ast.If) -> bool:
        line = self.data[self.starts[node.lineno - 1]:].split(b"\n", 1)[0]
        return line.lstrip().startswith(b"elif")

    def match(self, stmt, env: dict) -> None:
        used: set[int] = set()
        self.reads(stmt.subject, env, used)
        subject = const(stmt.subject, env)
        live = None
        if subject is not UNKNOWN:
            for case in stmt.cases:
                verdict = self._matches(case, subject, env)
                if verdict is UNKNOWN:
                    break
                if verdict:
                    live = case
                    break
        if live is None:
            self.invalidate(stmt, env)
            for case in stmt.cases:
                self.block(case.body, dict(env))
            self.invalidate(stmt, env)
            return
        for case in stmt.cases:
            if case is not live:
                self.kill(case.body)
        self.block(live.body, env)

    def _matches(self, case, subject, env):
        if case.guard is not None:
            return UNKNOWN
        pattern = case.pattern
        options = pattern.patterns if isinstance(pattern, ast.MatchOr) else [pattern]
        for option in options:
            if isinstance(option, ast.MatchAs) and option.pattern is None and option.name is None:
                return True
            if not isinstance(option, ast.MatchValue):
                return UNKNOWN
            value = const(option.value, env)
            if value is UNKNOWN:
                return UNKNOWN
            if value == subject:
                return True
        return False

    # ------------------------------------------------------------------ module
    def find_helpers(self) -> None:
        """Module-level functions whose every `return` gives the same literal (and that cannot fall off)."""
        for node in self.tree.body:
            if not isinstance(node, ast.FunctionDef) or node.decorator_list or not node.body:
                continue
            if not isinstance(node.body[-1], ast.Return) or any(
                    isinstance(n, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)) for n in ast.walk(node)):
                continue
            probe = copy.copy(self)
            probe.edits, probe.returns, probe.helpers = [], [], {}
            probe.block(node.body, self.params(node))
            values = probe.returns
            if values and all(v is not UNKNOWN for v in values) and len({repr(v) for v in values}) == 1:
                self.helpers[node.name] = values[0]
        def binds(stmt, name: str) -> bool:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                return stmt.name == name
            return name in _stored(stmt)

        rebound = {name for name in self.helpers if sum(1 for n in self.tree.body if binds(n, name)) > 1}
        for name in rebound:
            del self.helpers[name]


def prune(source: str) -> str | None:
    pruner = Pruner(source)
    pruner.find_helpers()
    pruner.block(pruner.tree.body, {})
    return pruner.result()
