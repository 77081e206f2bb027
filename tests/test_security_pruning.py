"""The line-preserving pruning of flows that cannot run (graders/security/tools/pyprune.py)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from graders.security.tools.pyprune import prune


def _pruned(source: str) -> str:
    source = textwrap.dedent(source)
    out = prune(source)
    assert out is not None, "nothing was pruned"
    assert out.count("\n") == source.count("\n"), out  # every line keeps its number
    ast.parse(out)
    return out


def _line(text: str, fragment: str) -> str:
    return next(line for line in text.splitlines() if fragment in line)


@pytest.mark.parametrize("source,gone,kept", [
    ("""
     def view(param):
         num = 86
         bar = "safe" if (7 * 42) - num > 200 else param
         return bar
     """, "param\n", '"safe"'),
    ("""
     def view(param):
         if False:
             bar = param
         else:
             bar = "x"
         return bar
     """, "bar = param", 'bar = "x"'),
    ("""
     def view(param):
         guess = "ABC"[1]
         if guess == "A":
             bar = param
         elif guess == "B":
             bar = "bob"
         else:
             bar = param
         return bar
     """, "bar = param", 'bar = "bob"'),
    ("""
     def view(param):
         guess = "ABC"[2]
         match guess:
             case "A":
                 bar = param
             case "C":
                 bar = "charlie"
             case _:
                 bar = param
         return bar
     """, "bar = param", 'bar = "charlie"'),
    ("""
     def view(param):
         m = {}
         m["keyA"] = "a-value"
         m["keyB"] = param
         bar = m["keyA"]
         other = m.get("keyA")
         return bar + other
     """, 'bar = m["keyA"]', "bar = ('a-value')"),
    ("""
     def view(param):
         values = []
         values.append("safe")
         values.append(param)
         values.append("moresafe")
         values.pop(0)
         bar = values[1]
         return bar
     """, "bar = values[1]", "bar = ('moresafe')"),
    ("""
     import configparser
     def view(param):
         conf = configparser.ConfigParser()
         conf.add_section("s")
         conf.set("s", "keyA", "a_Value")
         conf.set("s", "keyB", param)
         bar = conf.get("s", "keyA")
         return bar
     """, 'conf.get("s", "keyA")', "bar = ('a_Value')"),
    ("""
     def helper(value):
         bar = "safe!"
         return bar
     def view(param):
         return helper(param)
     """, "return helper(param)", "return ('safe!')"),
])
def test_flows_that_cannot_run_are_pruned(source, gone, kept):
    out = _pruned(source)
    assert gone not in out and kept in out, out


@pytest.mark.parametrize("source", [
    # the condition depends on the request
    """
    def view(param):
        bar = "safe" if len(param) > 200 else param
        return bar
    """,
    # the key read is the tainted one
    """
    def view(param):
        m = {"keyA": "a", "keyB": param}
        return m["keyB"]
    """,
    # the dict escapes to a call that may change it
    """
    def view(param):
        m = {"keyA": "a"}
        fill(m, param)
        return m["keyA"]
    """,
    # changed in a loop
    """
    def view(params):
        values = ["safe"]
        for p in params:
            values.insert(0, p)
        return values[0]
    """,
    # a helper that returns its argument on one path
    """
    def helper(value):
        if value.startswith("x"):
            return value
        return "safe"
    def view(param):
        return helper(param)
    """,
    # an alias of the list is changed
    """
    def view(param):
        values = ["safe"]
        alias = values
        alias[0] = param
        return values[0]
    """,
])
def test_flows_that_can_run_are_left_alone(source):
    assert prune(textwrap.dedent(source)) is None


def test_pop_shifts_the_tainted_value_into_the_read_index():
    source = textwrap.dedent("""
    def view(param):
        values = ["safe", param, "other"]
        values.pop(0)
        return values[0]
    """)
    assert prune(source) is None


def test_a_tainted_value_in_a_live_branch_is_kept():
    out = _pruned("""
    def view(param):
        if 3 > 2:
            bar = param
        else:
            bar = "safe"
        return bar
    """)
    assert "bar = param" in out and 'bar = "safe"' not in out


def test_unparseable_source_raises_syntax_error():
    with pytest.raises(SyntaxError):
        prune("def f(:\n")


# ---------------------------------------------------------------------- one-line helpers (pyinline)
def test_one_line_helpers_are_inlined_at_their_calls():
    from graders.security.tools.pyinline import inline

    source = textwrap.dedent("""
    import html
    def clean(value):
        return html.escape(value, quote=True)
    def view(q):
        return "<p>" + clean(q) + "</p>"
    """)
    out = inline(source)
    assert out is not None and out.count("\n") == source.count("\n")
    assert _line(out, "return \"<p>\"") .strip() == 'return "<p>" + (html.escape((q), quote=True)) + "</p>"'


@pytest.mark.parametrize("source", [
    # a decorator may change what the function returns
    "import functools\n@functools.cache\ndef f(v):\n    return v.strip()\nx = f(y)\n",
    # two statements: not a one-line helper
    "def f(v):\n    w = v.strip()\n    return w\nx = f(y)\n",
    # called with keywords, or with the wrong number of arguments
    "def f(v):\n    return v.strip()\nx = f(v=y)\nz = f(y, 1)\n",
    # the name is rebound
    "def f(v):\n    return v.strip()\nf = print\nx = f(y)\n",
])
def test_helpers_that_cannot_be_inlined_are_left_alone(source):
    from graders.security.tools.pyinline import inline

    assert inline(source) is None


def test_slices_that_are_assigned_or_deleted_are_not_rewritten():
    from graders.security.tools.pyslices import rewrite_slices

    source = "data = list(range(9))\ndata[2:4] = [0]\ndel data[:1]\nhead = data[:3]\n"
    out = rewrite_slices(source)
    ast.parse(out)
    assert "data[2:4] = [0]" in out and "del data[:1]" in out and "(data).__getitem__(slice(None, 3))" in out
