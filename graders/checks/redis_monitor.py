"""Injection into Redis seen at run time (option `redis_monitor` of the `pytest` check).

Redis commands are length-prefixed: a key built from input cannot break the command the way a quote
breaks SQL. Input does become code or a query where Redis *interprets* an argument:

- a Lua script's source (`EVAL`, `EVAL_RO`, `SCRIPT LOAD`, `FUNCTION LOAD`) built by formatting
  instead of passing the value in `KEYS`/`ARGV`: code injection (CWE-94);
- a glob pattern (`KEYS`, `SCAN`/`SSCAN`/`HSCAN`/`ZSCAN ... MATCH`, `PSUBSCRIBE`, `PUBSUB CHANNELS`)
  holding input whose `*`, `?` or `[` was not escaped: `reset("alice*")` then touches every user
  whose login starts with alice (CWE-155, improper neutralisation of wildcards).

So, during the hidden tests, the submission's throwaway server (graders/services/redis.py) is
watched with `MONITOR`, through an ACL user of the grader's that may run `MONITOR` and nothing else
(the learner's user cannot). The tests pass the same *marker values* as for SQL (declared in the
run's signed records, graders/checks/statement_log.py); a marker made with a glob character
(`marker("*")` in the c8 tests) found verbatim in a pattern was not escaped, and any marker found in
a script's source was built into code. Each is a `redis-injection-runtime` finding naming the test.

When the watch cannot run (a `REDIS_URL` server is never the learner's; a run that floods the
monitor) the check says so (an `info` finding), never a silent pass. Learner code could notice the
monitoring client (`CLIENT LIST`) and behave differently: it then only loses this evidence, and the
hidden tests still judge the behaviour.
"""

from __future__ import annotations

import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from graders.checks.pytest_discovery import base_id
from graders.checks.statement_log import excerpt, learner_place
from graders.results import Finding

RULE = "redis-injection-runtime"
NOT_EVALUATED = "redis-injection-runtime-not-evaluated"
GLOB = "*?["
MAX_BYTES = 64 << 20  # of MONITOR output in one run; beyond, the watch gives up (not evaluated)
SENTINEL_S = 5.0
ARG = re.compile(rb'"((?:\\.|[^"\\])*)"')
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"a": b"\a", b"b": b"\b", b'"': b'"', b"\\": b"\\"}
SENDS_REDIS = re.compile(r"\b(eval|eval_ro|register_script|keys|scan|scan_iter|sscan|hscan|zscan|"
                         r"sscan_iter|hscan_iter|zscan_iter|psubscribe|punsubscribe|pubsub_channels|script_load|"
                         r"function_load|execute_command)\s*\(")


@dataclass
class Observed:
    """The commands the server received during one run (each a list of arguments), or why not known."""

    commands: list[list[str]] = field(default_factory=list)
    reason: str | None = None  # external | flooded | unreadable
    seconds: float = 0.0


class CommandWatch:
    """`MONITOR` on one provisioned redis-server during a run, through the grader's monitor user."""

    def __init__(self, store) -> None:
        self.store = store
        self.lines: list[bytes] = []
        self.flooded = False
        self.failed: str | None = None
        self.sock: socket.socket | None = None
        self.token = b"cda-redis-monitor-" + secrets.token_hex(8).encode()
        self._seen = threading.Event()
        self._thread: threading.Thread | None = None
        self.spent = 0.0

    @classmethod
    def start(cls, store) -> "CommandWatch":
        watch = cls(store)
        credentials = getattr(store, "monitor_credentials", None)
        if credentials is None:
            return watch
        began = time.monotonic()
        user, password = credentials
        watch.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        watch.sock.settimeout(5)
        watch.sock.connect(str(store.socket_path))
        watch.sock.sendall(_command(b"AUTH", user.encode(), password.encode()) + _command(b"MONITOR"))
        watch._thread = threading.Thread(target=watch._read, name=f"cda-redis-monitor-{store.name}", daemon=True)
        watch._thread.start()
        watch.spent = time.monotonic() - began
        return watch

    def _read(self) -> None:
        buffer, total = b"", 0
        self.sock.settimeout(None)
        try:
            while not self._seen.is_set():
                chunk = self.sock.recv(1 << 16)
                if not chunk:
                    return
                total += len(chunk)
                if total > MAX_BYTES:
                    self.flooded = True
                    return
                buffer += chunk
                *complete, buffer = buffer.split(b"\r\n")
                for line in complete:
                    if line.startswith(b"-"):
                        self.failed = line[1:].decode(errors="replace")
                        return
                    if self.token in line:
                        self._seen.set()
                        return
                    if line.startswith(b"+") and line != b"+OK":
                        self.lines.append(line[1:])
        except OSError as exc:
            self.failed = str(exc)

    def collect(self) -> Observed:
        """Every command the server received since `start` (call after the run)."""
        if self.sock is None:
            return Observed(reason="external")
        began = time.monotonic()
        try:
            with self.store.client() as client:
                client.echo(self.token.decode())
            self._seen.wait(SENTINEL_S)
        except Exception as exc:  # noqa: BLE001 (the server died with the run: what was read stands)
            self.failed = self.failed or f"{type(exc).__name__}: {exc}"
        finally:
            self.sock.close()
            if self._thread is not None:
                self._thread.join(timeout=SENTINEL_S)
        seconds = self.spent + time.monotonic() - began
        if self.flooded:
            return Observed(reason="flooded", seconds=seconds)
        if not self._seen.is_set():
            return Observed(reason="unreadable", seconds=seconds)
        return Observed(commands=[args for line in self.lines if (args := parse_line(line))], seconds=seconds)


def _command(*parts: bytes) -> bytes:
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


def parse_line(line: bytes) -> list[str]:
    """The arguments of one MONITOR line (`<time> [<db> <client>] "cmd" "arg" ...`), unescaped."""
    return [unescape(raw).decode("utf-8", errors="replace") for raw in ARG.findall(line)]


def unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\" and i + 1 < len(raw):
            code = raw[i + 1:i + 2]
            if code == b"x" and i + 3 < len(raw):
                out += bytes([int(raw[i + 2:i + 4], 16)])
                i += 4
                continue
            out += ESCAPES.get(code, code)
            i += 2
        else:
            out += raw[i:i + 1]
            i += 1
    return bytes(out)


# -- where input becomes code or a pattern ----------------------------------------------------------

def scripts_of(args: list[str]) -> list[str]:
    name = args[0].lower() if args else ""
    if name in ("eval", "eval_ro") and len(args) > 1:
        return [args[1]]
    if name == "script" and len(args) > 2 and args[1].lower() == "load":
        return [args[2]]
    if name == "function" and len(args) > 2 and args[1].lower() == "load":
        return [args[-1]]
    return []


def patterns_of(args: list[str]) -> list[str]:
    name = args[0].lower() if args else ""
    lowered = [a.lower() for a in args]
    if name == "keys" and len(args) > 1:
        return [args[1]]
    if name in ("scan", "sscan", "hscan", "zscan"):
        return [args[i + 1] for i, a in enumerate(lowered[:-1]) if a == "match"]
    if name in ("psubscribe", "punsubscribe"):
        return args[1:]
    if name == "pubsub" and len(args) > 2 and lowered[1] in ("channels", "shardchannels"):
        return [args[2]]
    return []


def injections(observed: Observed, markers: dict[str, str]) -> dict[str, tuple[str, str]]:
    """nodeid -> (kind, excerpt) of the first command where a marker of that test became code or a pattern."""
    seen: dict[str, tuple[str, str]] = {}
    for args in observed.commands:
        for kind, texts in (("script", scripts_of(args)), ("pattern", patterns_of(args))):
            for text in texts:
                for marker, nodeid in markers.items():
                    if nodeid in seen or marker not in text:
                        continue
                    if kind == "pattern" and not any(c in marker for c in GLOB):
                        continue  # a marker without wildcards reads the same escaped or not
                    seen[nodeid] = (kind, f"{args[0].upper()} " + excerpt(text, text.find(marker), marker))
    return seen


def redis_injection_findings(observed: Observed, records, workspace: Path, clean, _) -> list[Finding]:
    if observed.reason is not None or not records.markers:
        return [not_evaluated(observed.reason or "no-marker", _)]
    findings = []
    for nodeid, (kind, evidence) in sorted(injections(observed, records.markers).items()):
        path, line = learner_place(records, nodeid, workspace, SENDS_REDIS)
        if kind == "script":
            message = _("Code injection seen at run time during {test}: a value passed by the test was built into the "
                        "source of a Lua script sent to Redis: {excerpt}")
            advice = _("Never format input into a script: pass keys in KEYS and values in ARGV "
                       "(client.eval(SCRIPT, 1, key, value)), the script's text staying constant.")
            severity, reference = "critical", "CWE-94"
        else:
            message = _("Wildcard injection seen at run time during {test}: a value passed by the test reached a Redis "
                        "pattern with its *, ? or [ unescaped, so it matches other keys: {excerpt}")
            advice = _("Address one key by its name (GET, DEL) rather than a pattern; where a pattern is needed, escape "
                       "*, ?, [, ] and \\ in the input with a backslash first.")
            severity, reference = "high", "CWE-155"
        findings.append(Finding(
            rule=RULE, severity=severity, confidence="high", references=[reference],
            path=clean(path) if path else None, line=line,
            message=message.format(test=base_id(nodeid), excerpt=clean(evidence)), help=advice))
    return findings


def not_evaluated(reason: str, _) -> Finding:
    reasons = {
        "external": _("the grader does not watch a Redis server it did not start"),
        "flooded": _("the run sent too many commands to Redis to be followed"),
        "unreadable": _("the grader could not follow the commands sent to Redis"),
        "no-marker": _("no test passed a marker value to your code (the tests may not have run)"),
    }
    return Finding(
        rule=NOT_EVALUATED, severity="info",
        message=_("Injection into Redis at run time not evaluated: {reason}.").format(
            reason=reasons.get(reason, reasons["unreadable"])),
        help=_("The other checks (tests and static scan) still apply."))
