"""SQL injection seen at run time, whatever the syntax that built the query (option `statement_log`
of the `pytest` check).

The static scan reads how a query is written; a string can be built in endless ways (f-strings,
`%`, `+`, `.format`, `.join`, `.replace` chains, helpers...). What the server receives does not
depend on the syntax: a parameterised query reaches PostgreSQL as `... WHERE name = $1` with the
value apart, a string-built one carries the value inside its SQL text. So, during the hidden tests:

1. the submission's database logs every statement it receives (`ALTER DATABASE ... SET
   log_statement = 'all'`, superuser-only: the learner's role cannot turn it off), without the
   parameters (`log_parameter_max_length = 0`), into the throwaway cluster's JSON log
   (graders/services/postgres.py, PostgreSQL 15+), one record per line with its database;
2. the tests pass *marker values* (random, with a quote in them, e.g. `cda1f2e3d4c'a9b8c7`) to the
   learner's code and declare them (the `cda_declare_marker` fixture of the runner's recorder,
   in the run's signed records);
3. after the run, every statement text of that database (a logged statement, the statement of a
   server error, a PL/pgSQL dynamic query in error) is searched for the markers: a marker found
   outside a correctly quoted string literal (or quoted identifier) is SQL text, not data, and so
   is a marker at which the server reported a syntax error. Each is a `sql-injection-runtime`
   finding (critical, CWE-89) naming the test, and the learner's file and line when the test's
   traceback shows them.

A correctly quoted marker never appears verbatim in SQL text ('' doubles its quote), except inside
a dollar-quoted string or a quoted identifier, which the lexer below accepts. When the log cannot be
read (a DATABASE_URL server, PostgreSQL < 15, a run that flooded the log) or no test declared a
marker, the check says it was not evaluated (an `info` finding), never a silent pass.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graders.checks.pytest_discovery import base_id
from graders.results import Finding

RULE = "sql-injection-runtime"
NOT_EVALUATED = "sql-injection-runtime-not-evaluated"
# Set on the watched database only (superuser-only settings: its role cannot reset them).
PER_DATABASE = {"log_statement": "all", "log_parameter_max_length": "0", "log_parameter_max_length_on_error": "0",
                "log_min_error_statement": "error"}
SENTINEL_S = 10.0  # the log collector writes asynchronously: wait for our own record after the run
MAX_LOG_BYTES = 256 << 20  # of log written during one run; beyond, logging stops and the check is not evaluated
POLL_S = 1.0
STATEMENT = re.compile(r"(?:statement|execute [^:]*): (.*)\Z", re.DOTALL)
EXCERPT = 40  # characters either side of the marker, in the finding
MAX_MARKERS = 1000  # a run's declarations looked for (the lab's tests declare a dozen)
SENDS_SQL = re.compile(r"\b(execute|executemany|copy|query)\s*\(")
SYNTAX_CLASS = "42"  # syntax error or access rule violation (42601, 42703 undefined column...)

_active: dict[Path, int] = defaultdict(int)  # watches open on each log: the file is emptied when none is
_active_lock = threading.Lock()


@dataclass
class Statement:
    """One SQL text the server received: a logged statement, or the statement of an error."""

    text: str
    sqlstate: str | None = None
    position: int | None = None  # 1-based character of the error in text


@dataclass
class Observed:
    """What the server received from one run, or why it could not be known (`reason`)."""

    statements: list[Statement] = field(default_factory=list)
    reason: str | None = None  # external | version | unreadable | flooded
    detail: str | None = None  # the grader's own words (logs, metrics)
    seconds: float = 0.0


class StatementWatch:
    """Logs the statements one provisioned database receives during a run, and reads them back."""

    def __init__(self, db) -> None:
        self.db = db
        self.service = db.pg_service if db is not None else None
        self.path: Path | None = getattr(self.service, "json_log", None)
        self.offset = 0
        self.flooded = False
        self.spent = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def start(cls, db) -> "StatementWatch":
        watch = cls(db)
        if watch.path is None:
            return watch
        began = time.monotonic()
        from psycopg import sql

        with _active_lock:
            _active[watch.path] += 1
            watch.offset = _size(watch.path)
        try:
            with watch.service.connect_admin() as conn:
                for name, value in PER_DATABASE.items():
                    conn.execute(sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                        sql.Identifier(db.name), sql.Identifier(name), sql.Literal(value)))
        except BaseException:
            watch._release()
            raise
        watch._thread = threading.Thread(target=watch._guard, name=f"cda-pg-log-{db.name}", daemon=True)
        watch._thread.start()
        watch.spent = time.monotonic() - began
        return watch

    def _guard(self) -> None:
        """Past MAX_LOG_BYTES of log during the run, stop logging this database and end its sessions."""
        import psycopg
        from psycopg import sql

        while not self._stop.wait(POLL_S):
            if _size(self.path) - self.offset <= MAX_LOG_BYTES:
                continue
            self.flooded = True
            try:
                with self.service.connect_admin() as conn:
                    conn.execute(sql.SQL("ALTER DATABASE {} SET log_statement = 'none'").format(
                        sql.Identifier(self.db.name)))
                    conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = %s AND pid <> pg_backend_pid()", [self.db.name])
            except psycopg.Error:
                pass
            return

    def collect(self) -> Observed:
        """Every statement text the database received since `start` (call after the run)."""
        if self.path is None:
            from graders.services.postgres import ThrowawayPostgres

            note = getattr(self.service, "json_log_note", None) or "no readable server log"
            reason = "version" if isinstance(self.service, ThrowawayPostgres) else "external"
            return Observed(reason=reason, detail=note)
        began = time.monotonic()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            observed = self._read()
        except (OSError, ValueError) as exc:
            observed = Observed(reason="unreadable", detail=f"{type(exc).__name__}: {exc}")
        finally:
            self._release()
        if self.flooded:
            observed = Observed(reason="flooded", detail=f"more than {MAX_LOG_BYTES >> 20} MB of log in one run")
        observed.seconds = self.spent + time.monotonic() - began
        return observed

    def _read(self) -> Observed:
        import psycopg

        token = "cda-statement-log-" + secrets.token_hex(8)
        try:
            with self.service.connect_admin() as conn:
                conn.execute(f"DO $$BEGIN RAISE LOG '{token}'; END$$")  # token: hex digits only
        except psycopg.Error as exc:
            raise ValueError(f"cannot write to the server log: {exc}") from None
        deadline, scanned, end = time.monotonic() + SENTINEL_S, self.offset, None
        while end is None:
            end, scanned = _find(self.path, scanned, token.encode())
            if end is None:
                if time.monotonic() > deadline:
                    raise ValueError(f"the server log did not show the grader's record within {SENTINEL_S:g} s")
                time.sleep(0.02)
        return Observed(statements=list(read_statements(self.path, self.offset, end, self.db.name)))

    def _release(self) -> None:
        with _active_lock:
            _active[self.path] -= 1
            if _active[self.path] <= 0:
                del _active[self.path]
                try:  # the collector appends (O_APPEND): the file simply starts again from empty
                    os.truncate(self.path, 0)
                except OSError:
                    pass


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _find(path: Path, offset: int, needle: bytes) -> tuple[int | None, int]:
    """(offset just past the whole line holding `needle`, or None; offset of the first line not yet
    read whole), reading from `offset`, the start of a line."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        for line in handle:
            if not line.endswith(b"\n"):  # still being written
                break
            offset += len(line)
            if needle in line:
                return offset, offset
    return None, offset


def read_statements(path: Path, start: int, end: int, dbname: str):
    """The SQL texts of `dbname`'s records between two offsets of a JSON server log."""
    needle = f'"dbname":{json.dumps(dbname)}'.encode()
    with open(path, "rb") as handle:
        handle.seek(start)
        position = start
        for line in handle:
            position += len(line)
            if position > end:
                return
            if needle not in line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or record.get("dbname") != dbname:
                continue
            yield from statements_of(record)


def statements_of(record: dict):
    message, state = record.get("message"), record.get("state_code")
    if record.get("error_severity") == "LOG" and isinstance(message, str):
        found = STATEMENT.match(message)
        if found:
            yield Statement(found.group(1))
    for text_key, position_key in (("statement", "cursor_position"), ("internal_query", "internal_position")):
        text, position = record.get(text_key), record.get(position_key)
        if isinstance(text, str) and record.get("error_severity") != "LOG":
            yield Statement(text, state if isinstance(state, str) else None,
                            position if isinstance(position, int) else None)


# -- where a marker lands in SQL text -----------------------------------------------------------

IDENT = re.compile(r"[A-Za-z0-9_$\x80-\U0010ffff]")
DOLLAR_TAG = re.compile(r"\$([A-Za-z_\x80-\U0010ffff][A-Za-z0-9_\x80-\U0010ffff]*)?\$")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the body of every correctly terminated string literal ('...', E'...', U&'...',
    B'...', X'...', $tag$...$tag$) and quoted identifier ("...") of a PostgreSQL statement, with
    standard_conforming_strings on (the default). Comments are not quoted: a marker in one is SQL text."""
    spans, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        after_ident = i > 0 and IDENT.match(text[i - 1]) is not None
        if text.startswith("--", i):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c in "'\"":
            close = _close_quote(text, i + 1, c, backslash=False)
            if close is None:
                return spans  # unterminated: nothing after it is a correct literal
            spans.append((i + 1, close))
            i = close + 1
        elif c in "eE" and not after_ident and text.startswith("'", i + 1):
            close = _close_quote(text, i + 2, "'", backslash=True)
            if close is None:
                return spans
            spans.append((i + 2, close))
            i = close + 1
        elif c == "$" and not after_ident and (tag := DOLLAR_TAG.match(text, i)):
            delimiter = tag.group(0)
            close = text.find(delimiter, tag.end())
            if close < 0:
                return spans
            spans.append((tag.end(), close))
            i = close + len(delimiter)
        else:
            i += 1
    return spans


def _close_quote(text: str, i: int, quote: str, *, backslash: bool) -> int | None:
    n = len(text)
    while i < n:
        if backslash and text[i] == "\\":
            i += 2
        elif text[i] == quote:
            if text.startswith(quote, i + 1):
                i += 2
            else:
                return i
        else:
            i += 1
    return None


def injected_at(statement: Statement, marker: str) -> int | None:
    """Index of the first occurrence of `marker` that is SQL text (outside every quoted body, or
    where the server reported a syntax error), or None."""
    start = statement.text.find(marker)
    if start < 0:
        return None
    spans = quoted_spans(statement.text)
    syntax = (statement.sqlstate or "").startswith(SYNTAX_CLASS)
    error_at = statement.position - 1 if statement.position and syntax else None
    while start >= 0:
        end = start + len(marker)
        if error_at is not None and start <= error_at <= end:
            return start
        if not any(a <= start and end <= b for a, b in spans):
            return start
        start = statement.text.find(marker, start + 1)
    return None


# -- findings -------------------------------------------------------------------------------------

def injection_findings(observed: Observed, records, workspace: Path, clean, _) -> list[Finding]:
    """`sql-injection-runtime` findings of a run (records: its RunRecords), or why none could be."""
    if observed.reason is not None or not records.markers:
        return [not_evaluated(observed.reason or "no-marker", _)]
    markers = dict(list(records.markers.items())[:MAX_MARKERS])
    seen: dict[str, str] = {}  # nodeid -> the first evidence: an excerpt of the statement
    for statement in observed.statements:
        for marker, nodeid in markers.items():
            if nodeid in seen or marker not in statement.text:
                continue
            at = injected_at(statement, marker)
            if at is not None:
                seen[nodeid] = excerpt(statement.text, at, marker)
    places: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for nodeid, evidence in seen.items():
        places[learner_place(records, nodeid, workspace)].append((base_id(nodeid), evidence))
    findings = []
    for (path, line), evidence in sorted(places.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or 0)):
        tests = sorted({test for test, _x in evidence})
        findings.append(Finding(
            rule=RULE, severity="critical", confidence="high", references=["CWE-89"],
            path=clean(path) if path else None, line=line,
            message=_("SQL injection seen at run time during {tests}: a value passed by the test reached PostgreSQL "
                      "as SQL text, not as a query parameter: {excerpt}").format(
                tests=", ".join(tests), excerpt=clean(evidence[0][1])),
            help=_("Pass every value as a parameter (cur.execute(\"... WHERE name = %s\", (name,))) and never build "
                   "SQL text from input, whatever the syntax (f-string, %, +, .format, .join, .replace). "
                   "A parameterised query reaches the server as $1, its value apart.")))
    return findings


def not_evaluated(reason: str, _) -> Finding:
    reasons = {
        "external": _("the PostgreSQL server given by DATABASE_URL does not let the grader read its statement log"),
        "version": _("this PostgreSQL server is older than version 15 and writes no JSON log"),
        "unreadable": _("the server's statement log could not be read"),
        "flooded": _("the run wrote too much to the server's statement log"),
        "no-marker": _("no test passed a marker value to your code (the tests may not have run)"),
    }
    return Finding(
        rule=NOT_EVALUATED, severity="info",
        message=_("SQL injection at run time not evaluated: {reason}.").format(
            reason=reasons.get(reason, reasons["unreadable"])),
        help=_("The other checks (tests and static scan) still apply. On the throwaway PostgreSQL cluster of the "
               "grader, the statements your code sends are checked for values built into SQL text."))


def excerpt(text: str, at: int, marker: str) -> str:
    start, end = max(0, at - EXCERPT), min(len(text), at + len(marker) + EXCERPT)
    body = " ".join(text[start:end].split())
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def learner_place(records, nodeid: str, workspace: Path, sends: re.Pattern = SENDS_SQL) -> tuple[str | None, int | None]:
    """The learner's file and line behind a test's failure: of their frames where the first error of
    the chain was raised (the driver's, before their code translated it) and then of the final
    exception's, the innermost whose line sends a query (`sends`: execute, executemany, copy... for
    SQL), else the innermost; (None, None) when the test recorded none (it passed, or failed outside
    their code)."""
    case = records.cases.get(nodeid)
    learner = (case.learner or {}) if case is not None else {}

    def frames_of(key: str) -> list[dict]:
        frames = learner.get(key) if isinstance(learner.get(key), list) else []
        return [f for f in frames if isinstance(f, dict) and isinstance(f.get("file"), str)
                and isinstance(f.get("line"), int)]

    origin, final = frames_of("origin"), frames_of("frames")
    for frame in [*reversed(origin), *reversed(final)]:
        if sends.search(source_line(workspace, frame["file"], frame["line"])):
            return frame["file"], frame["line"]
    innermost = (origin or final or [None])[-1]
    return (innermost["file"], innermost["line"]) if innermost else (None, None)


def source_line(workspace: Path, relative: str, line: int) -> str:
    """One line of a learner's file, read as text (never imported); '' when it cannot be."""
    root = workspace.resolve()
    try:
        path = (root / relative).resolve()
        if root not in path.parents or not path.is_file() or path.stat().st_size > 2 << 20:
            return ""
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, ValueError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""
