"""Injection into Redis seen at run time (graders/checks/redis_monitor.py, option `redis_monitor`).

Input that becomes a Lua script's source, or reaches a glob pattern with its wildcards unescaped, is
flagged from what the server received (MONITOR), whatever the Python that built it; values passed
apart (KEYS/ARGV, an escaped pattern, a plain key) never are.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graders.checks.pytest_verdicts import parse_records
from graders.checks.redis_monitor import NOT_EVALUATED, RULE, CommandWatch, Observed, injections, parse_line
from graders.checks.redis_monitor import redis_injection_findings
from graders.engine import grade
from graders.labs import load_lab
from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.services import default_pool
from graders.services import redis as rd
from tests.helpers import REPO

LAB_DIR = REPO / "labs" / "c8-acces-donnees"
on_server = pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"no Redis: {rd.unavailable_reason()}")
in_sandbox = pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                                reason=f"no sandbox: {BubblewrapSandbox.unavailable_reason()}")

GLOB_MARKER = "cda1f2e3d4c*a9b8c7"
QUOTE_MARKER = "cda5e6f7a8b'c9d0e1"
MARKERS = {GLOB_MARKER: "test_x.py::test_glob", QUOTE_MARKER: "test_x.py::test_quote"}


def test_monitor_lines_are_split_into_unescaped_arguments():
    line = rb'1700000000.123456 [0 unix:/run/cda-redis/redis.sock] "KEYS" "test:a\"b\\c\x2a\n"'
    assert parse_line(line) == ["KEYS", 'test:a"b\\c*\n']


@pytest.mark.parametrize("args, flagged", [
    (["KEYS", f"test:login-failures:{GLOB_MARKER}"], {"test_x.py::test_glob"}),
    (["SCAN", "0", "MATCH", f"t:{GLOB_MARKER}*", "COUNT", "10"], {"test_x.py::test_glob"}),
    (["PSUBSCRIBE", f"news.{GLOB_MARKER}"], {"test_x.py::test_glob"}),
    (["EVAL", f"return redis.call('GET', '{QUOTE_MARKER}')", "0"], {"test_x.py::test_quote"}),
    (["SCRIPT", "LOAD", f"return '{GLOB_MARKER}'"], {"test_x.py::test_glob"}),
    # values apart, escaped patterns, plain keys, and markers without wildcards in a pattern: not flagged
    (["EVAL", "return redis.call('GET', KEYS[1])", "1", QUOTE_MARKER], set()),
    (["KEYS", "test:" + GLOB_MARKER.replace("*", "\\*")], set()),
    (["DEL", f"test:{GLOB_MARKER}"], set()),
    (["SET", f"cache:{QUOTE_MARKER}", "[]"], set()),
    (["KEYS", f"test:{QUOTE_MARKER}*"], set()),
])
def test_scripts_and_unescaped_patterns_are_flagged_values_apart_are_not(args, flagged):
    assert set(injections(Observed(commands=[args]), MARKERS)) == flagged


def test_not_evaluated_is_said_never_a_silent_pass():
    records = parse_records([{"event": "marker", "nodeid": n, "value": m} for m, n in MARKERS.items()])
    for observed in (Observed(reason="external"), Observed(reason="flooded")):
        [finding] = redis_injection_findings(observed, records, Path("/nonexistent"), str, str)
        assert finding.rule == NOT_EVALUATED and finding.severity == "info"


@on_server
def test_what_a_real_server_receives_is_seen_and_the_learner_cannot_monitor():
    import redis

    service = default_pool().redis()
    with service.provision() as store:
        watch = CommandWatch.start(store)
        with store.client() as client:
            client.set(f"test:{GLOB_MARKER}", 1)
            client.keys("test:" + GLOB_MARKER.replace("*", "\\*"))  # escaped: safe
            client.eval("return redis.call('GET', KEYS[1])", 1, f"test:{QUOTE_MARKER}")  # apart: safe
            client.keys(f"test:{GLOB_MARKER}")  # unescaped pattern
            with pytest.raises(redis.ResponseError, match="compiling script"):  # built into the script: broken
                client.eval(f"return '{QUOTE_MARKER}'", 0)
            with pytest.raises(redis.ResponseError, match="(?i)permission|no permissions"):
                client.execute_command("MONITOR")
        observed = watch.collect()
    assert observed.reason is None
    assert any(args[:1] == ["keys"] or args[:1] == ["KEYS"] for args in observed.commands)
    found = injections(observed, MARKERS)
    assert set(found) == {"test_x.py::test_glob", "test_x.py::test_quote"}
    assert found["test_x.py::test_glob"][0] == "pattern" and found["test_x.py::test_quote"][0] == "script"


# -- graded in the sandbox -----------------------------------------------------------------------

KEYS_RESET = '''
    def reset(self, login: str) -> None:
        try:
            for key in self._redis.keys(self._key(login)):  # a pattern built from the login
                self._redis.delete(key)
        except redis.RedisError:
            raise DataUnavailableError("service de limitation injoignable") from None
'''


@pytest.fixture(scope="module")
def c8_lab():
    lab = load_lab(LAB_DIR)
    hidden = next(c for c in lab.manifest.checks if c.id == "tests-caches")
    assert hidden.options.get("redis_monitor") is True, "c8's hidden tests no longer watch Redis"
    return lab


def redis_findings(result, rule=RULE):
    return [f for c in result.checks for f in c.findings if f.rule == rule]


@in_sandbox
@on_server
def test_the_c8_solution_gets_no_finding_a_pattern_built_reset_gets_one(c8_lab, tmp_path):
    pool = default_pool()
    solution = grade(c8_lab, c8_lab.path / "solution", lang="en", services={"pool": pool})
    assert redis_findings(solution) == [] and redis_findings(solution, NOT_EVALUATED) == []
    submission = shutil.copytree(c8_lab.path / "solution", tmp_path / "keys-reset")
    store = submission / "mediatheque" / "redis_store.py"
    source = store.read_text(encoding="utf-8")
    safe_reset = re.search(r"\n    def reset\(self, login: str\) -> None:\n(?:        .*\n|\n)+?(?=\n\nclass )", source)
    assert safe_reset, "the c8 solution's reset() moved: update this rewrite"
    store.write_text(source.replace(safe_reset.group(0), KEYS_RESET.rstrip("\n")), encoding="utf-8")
    graded = grade(c8_lab, submission, lang="en", services={"pool": pool})
    [finding] = redis_findings(graded)
    assert finding.severity == "high" and finding.references == ["CWE-155"]
    assert "test_injection_cles_redis" in finding.message
    verdicts = {c.id: c.verdict for c in graded.criteria}
    assert verdicts["C8.3"] == "not-acquired"
