"""Records each test outcome as one signed JSON line, as soon as it is known (see cda_records).

Lines are flushed one by one so that a run killed half-way keeps what it proved. Besides the
verdicts, the stream says what the supervisor (run_pytest.py) needs to keep a run going after a
crash: which items were collected, and which one started last. It also keeps what a learner needs
to know why a test failed without seeing the test: the exception and the frames of *their* code
(files under the workspace), never the test's source.

Two pytest behaviours are corrected here, because an honest mistake must not look like an attack:
- an exception that escapes a test module's import (SystemExit from `sys.exit()` at module level
  included, which pytest 9 re-raises and turns into an INTERNALERROR) becomes a collection error of
  that module, and the other modules still run (`--continue-on-collection-errors`);
- a report that pytest fails to build (its traceback code assumes every frame has a line number,
  which CPython 3.11 does not guarantee when a timeout interrupts a loop) becomes a plain failure.
"""

import json

import pytest
from _pytest import nodes
from _pytest import python as pytest_python
from _pytest.reports import TestReport

from cda_records import signed_line

MAX_MESSAGE = 4000
MAX_EXCEPTION = 300
MAX_MARKER = 200
TIMEOUT_MARK = "from pytest-timeout"


def _message(report):
    if not report.longrepr:
        return None
    crash = getattr(getattr(report.longrepr, "reprcrash", None), "message", None)
    return (crash or str(report.longrepr))[:MAX_MESSAGE]


def _learner_frames(exc, workspace):
    import traceback

    frames = []
    try:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.startswith(workspace + "/"):
                frames.append({"file": frame.filename[len(workspace) + 1:], "line": frame.lineno,
                               "function": frame.name})
    except Exception:  # a hostile traceback must not break the recording
        frames = []
    return frames


def _origin(exc):
    """The first exception of the chain `exc` was raised from or while handling (a driver error a
    learner's code translated with `raise ... from None` included)."""
    seen = 0
    try:
        while seen < 5 and (exc.__cause__ or exc.__context__) is not None:
            exc, seen = exc.__cause__ or exc.__context__, seen + 1
    except Exception:
        return None
    return exc if seen else None


def learner_error(exc, workspace):
    """Type, message and the frames of the learner's own files (relative paths) of an exception;
    `origin`: the learner's frames where the first exception of its chain was raised."""
    frames = _learner_frames(exc, workspace)
    if isinstance(exc, SyntaxError) and str(exc.filename or "").startswith(workspace + "/"):
        frames.append({"file": exc.filename[len(workspace) + 1:], "line": exc.lineno, "function": None})
    try:
        text = str(exc)
    except Exception:
        text = ""
    origin = _origin(exc)
    record = {"type": type(exc).__name__, "message": text[:MAX_EXCEPTION], "frames": frames[-5:]}
    if origin is not None:
        record["origin"] = _learner_frames(origin, workspace)[-5:]
    return record


class Recorder:
    def __init__(self, path, key, workspace, start_seq=0, done=()):
        self._file = open(path, "a", buffering=1, encoding="utf-8")
        self._key = key
        self._seq = start_seq
        self._workspace = workspace
        self._done = set(done)
        self._import_errors = {}

    def _write(self, record):
        record["seq"] = self._seq
        self._seq += 1
        self._file.write(signed_line(self._key, record))

    # --- collection -------------------------------------------------------------------------
    def pytest_configure(self, config):
        original = pytest_python.importtestmodule
        recorder = self

        def importtestmodule(path, config):
            try:
                return original(path, config)
            except (KeyboardInterrupt, pytest.skip.Exception):
                raise
            except BaseException as exc:
                cause = exc.__cause__ if isinstance(exc, nodes.Collector.CollectError) and exc.__cause__ else exc
                try:
                    name = path.relative_to(config.rootpath).as_posix()
                except ValueError:
                    name = str(path)
                recorder._import_errors[name] = learner_error(cause, recorder._workspace)
                if isinstance(exc, nodes.Collector.CollectError):
                    raise
                raise nodes.Collector.CollectError(f"{type(exc).__name__} while importing {path.name}") from exc

        pytest_python.importtestmodule = importtestmodule

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not self._done:
            return
        kept = [item for item in items if item.nodeid not in self._done]
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid in self._done])
        items[:] = kept

    def pytest_collectreport(self, report):
        if report.failed:
            learner = self._import_errors.get(report.nodeid)
            self._write({"event": "collect_error", "nodeid": report.nodeid,
                         "message": str(report.longrepr)[:MAX_MESSAGE], "learner": learner})

    def pytest_collection_finish(self, session):
        self._write({"event": "collected", "nodeids": [item.nodeid for item in session.items]})

    # --- marker values (graders/checks/statement_log.py) ------------------------------------
    @pytest.fixture
    def cda_declare_marker(self, request):
        """declare(value): the test passes `value` to the learner's code; the grader looks for it
        in the SQL the server received (the lab's `marker` fixture calls this)."""
        nodeid = request.node.nodeid

        def declare(value):
            self._write({"event": "marker", "nodeid": nodeid, "value": str(value)[:MAX_MARKER]})

        return declare

    # --- tests ------------------------------------------------------------------------------
    def pytest_runtest_logstart(self, nodeid, location):
        self._write({"event": "start", "nodeid": nodeid})

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        try:
            report = yield
        except Exception as exc:  # pytest could not build the report: keep the verdict, say why
            text = f"{type(exc).__name__} while reporting this test's failure"
            report = TestReport(item.nodeid, item.location, {}, "failed", text, call.when,
                                duration=call.duration, start=call.start, stop=call.stop)
        if call.excinfo is not None:
            report.cda_learner = learner_error(call.excinfo.value, self._workspace)
            report.cda_timeout = TIMEOUT_MARK in str(call.excinfo.value)
        return report

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            record = {"event": "test", "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,
                      "message": _message(report) if report.outcome != "passed" else None}
            if report.outcome == "failed":
                record["learner"] = getattr(report, "cda_learner", None)
                record["timeout"] = bool(getattr(report, "cda_timeout", False))
            self._write(record)

    def pytest_sessionfinish(self, session, exitstatus):
        self._write({"event": "finish", "exitstatus": int(exitstatus)})


def read_state(stream):
    """The supervisor's line after the key: where the chain stands and which items are done."""
    state = json.loads(stream.readline() or "{}")
    return int(state.get("seq", 0)), list(state.get("done", []))
