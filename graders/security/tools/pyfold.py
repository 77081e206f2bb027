"""Line-preserving folding of flows that never reach a sink, so that the taint analysis does not see them.

semgrep's open-source taint analysis is neither path- nor index-sensitive: `x = "a" if 7 * 42 - 86 > 200
else param`, `d["fixed"]` read from a dict that also holds the request, `values[0]` after
`values.pop(0)`, `conf.get("s", "a")` when only key "b" holds user data, a dead `if False:` branch or a
local helper that ignores its argument all look tainted. This module evaluates what Python itself
would know for certain, in straight-line code with literal values only, and rewrites the source:

- a conditional (statement, expression or `match`) whose test folds to a constant keeps only the
  branch that runs; the dead one becomes `pass` (the lines stay, empty);
- a read of a dict, list or ConfigParser entry whose value is a literal becomes that literal;
- a call of a module-level function whose every `return` is the same literal becomes that literal.

Anything not understood (a loop, a call that could mutate a container, a name assigned in a
nested block) forgets what was known: the rewrite only removes flows that cannot happen. Every line
keeps its number, so findings point at the learner's own lines. Standard library only; the code is
parsed, never run.
"""

from __future__ import annotations

import ast
import operator
import sys

UNKNOWN = object()
MAX_LEN = 10_000
_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
        ast.Mod: operator.mod, ast.Div: operator.truediv}
_CMP = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
        ast.GtE: operator.ge, ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
        ast.Is: operator.is_, ast.IsNot: operator.is_not}
CONFIG_CLASSES = {"ConfigParser", "RawConfigParser", "SafeConfigParser"}


class Box:
    """A container whose entries are known: dict (key -> value), list (values) or ConfigParser ((s, k) -> value)."""

    def __init__(self, kind: str, items):
        self.kind, self.items = kind, items


def _small(value) -> bool:
    return not isinstance(value, (str, bytes, tuple)) or len(value) <= MAX_LEN


def const(node: ast.AST, env: dict):
    """The literal value of `node` under `env`, or UNKNOWN."""
    try:
        value = _const(node, env)
    except Exception:  # an operation Python itself would reject (1 / 0, "a" - 1): not a constant
        return UNKNOWN
    if value is not UNKNOWN and isinstance(value, (int, float)) and abs(value) > 10 ** 12:
        return UNKNOWN
    return value if value is UNKNOWN or _small(value) else UNKNOWN


def _const(node, env):
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None), bytes)):
        return node.value
    if isinstance(node, ast.Name):
        value = env.get(node.id, UNKNOWN)
        return UNKNOWN if isinstance(value, Box) else value
    if isinstance(node, ast.Tuple):
        items = [const(e, env) for e in node.elts]
        return UNKNOWN if UNKNOWN in items else tuple(items)
    if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
        left, right = const(node.left, env), const(node.right, env)
        if UNKNOWN in (left, right) or (isinstance(node.op, ast.Mult) and isinstance(left, (str, tuple))
                                         and isinstance(right, int) and right > MAX_LEN):
            return UNKNOWN
        return _BIN[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        operand = const(node.operand, env)
        if operand is UNKNOWN:
            return UNKNOWN
        return {ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos}.get(
            type(node.op), lambda _: UNKNOWN)(operand)
    if isinstance(node, ast.BoolOp):
        values = [const(v, env) for v in node.values]
        if UNKNOWN in values:
            return UNKNOWN
        result = values[0]
        for value in values[1:]:
            result = (result and value) if isinstance(node.op, ast.And) else (result or value)
        return result
    if isinstance(node, ast.Compare) and all(type(op) in _CMP for op in node.ops):
        left = const(node.left, env)
        for op, right_node in zip(node.ops, node.comparators):
            right = const(right_node, env)
            if UNKNOWN in (left, right) or not _CMP[type(op)](left, right):
                return UNKNOWN if UNKNOWN in (left, right) else False
            left = right
        return True
    if isinstance(node, ast.Subscript):
        base = const(node.value, env)
        index = const(node.slice, env) if not isinstance(node.slice, ast.Slice) else UNKNOWN
        if isinstance(base, (str, tuple)) and isinstance(index, int):
            return base[index]
        return UNKNOWN
    if isinstance(node, ast.IfExp):
        test = const(node.test, env)
        return UNKNOWN if test is UNKNOWN else const(node.body if test else node.orelse, env)
    return UNKNOWN


def _key(call_or_sub, env):
    """A constant key of `d[k]` / `d.get(k)` / `conf.get(s, k)` / `conf[s][k]`, with the container's name."""
    node = call_or_sub
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id, const(node.slice, env)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Name):
        section, key = const(node.value.slice, env), const(node.slice, env)
        return node.value.value.id, UNKNOWN if UNKNOWN in (section, key) else (section, key)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
            and node.func.attr == "get" and node.args and not node.keywords):
        box = env.get(node.func.value.id)
        if isinstance(box, Box) and box.kind == "config" and len(node.args) == 2:
            section, key = const(node.args[0], env), const(node.args[1], env)
            return node.func.value.id, UNKNOWN if UNKNOWN in (section, key) else (section, key)
        if isinstance(box, Box) and box.kind == "dict" and len(node.args) <= 2:
            return node.func.value.id, const(node.args[0], env)
    return None, UNKNOWN


def lookup(node, env):
    """The known literal read by `node` from a tracked container, or UNKNOWN."""
    name, key = _key(node, env)
    box = env.get(name) if name else None
    if not isinstance(box, Box) or key is UNKNOWN:
        return UNKNOWN
    if box.kind == "list":
        if not isinstance(key, int) or not -len(box.items) <= key < len(box.items):
            return UNKNOWN
        return box.items[key]
    if box.kind == "dict" and isinstance(node, ast.Call) and key not in box.items:
        return const(node.args[1], env) if len(node.args) == 2 else None
    return box.items.get(key, UNKNOWN) if isinstance(box.items, dict) else UNKNOWN


def new_box(node, env):
    """A tracked container built by `node`: {...} / [...] / dict() / list() / ConfigParser(), or None."""
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            return None
        keys = [const(k, env) for k in node.keys]
        return None if UNKNOWN in keys else Box("dict", {k: const(v, env) for k, v in zip(keys, node.values)})
    if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        return Box("list", [const(e, env) for e in node.elts]) if isinstance(node, ast.List) else None
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name == "dict":
            return Box("dict", {})
        if name == "list":
            return Box("list", [])
        if name in CONFIG_CLASSES:
            return Box("config", {})
    return None


def mutate(call: ast.Call, env) -> bool:
    """Apply a known mutation (`lst.append(x)`, `d.setdefault`, `conf.set(s, k, v)`...); False when not one."""
    if not (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)):
        return False
    box = env.get(call.func.value.id)
    if not isinstance(box, Box) or call.keywords:
        return False
    method, args = call.func.attr, [const(a, env) for a in call.args]
    if box.kind == "list" and method == "append" and len(args) == 1:
        box.items.append(args[0])
    elif box.kind == "list" and method == "insert" and len(args) == 2 and isinstance(args[0], int):
        box.items.insert(args[0], args[1])
    elif box.kind == "list" and method == "pop" and len(args) <= 1 and box.items:
        index = args[0] if args else -1
        if not isinstance(index, int) or not -len(box.items) <= index < len(box.items):
            return False
        box.items.pop(index)
    elif box.kind == "config" and method == "set" and len(args) == 3 and UNKNOWN not in args[:2]:
        box.items[(args[0], args[1])] = args[2]
    elif box.kind == "config" and method in ("add_section", "has_section", "sections"):
        pass
    elif box.kind == "dict" and method == "setdefault" and len(args) == 2 and args[0] is not UNKNOWN:
        box.items.setdefault(args[0], args[1])
    else:
        return False
    return True


if sys.version_info < (3, 8):  # pragma: no cover - the analysers need a recent Python anyway
    raise SystemExit("Python 3.8+ required")
