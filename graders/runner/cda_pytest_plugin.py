"""Records each test outcome as one JSON line, as soon as it is known.

Lines are flushed one by one so that a run killed half-way keeps what it proved before the kill.
"""

import json
import os

_results = open(os.environ.pop("CDA_RESULTS"), "a", buffering=1, encoding="utf-8")
MAX_MESSAGE = 4000


def _write(record):
    _results.write(json.dumps(record) + "\n")


def _message(report):
    if not report.longrepr:
        return None
    crash = getattr(getattr(report.longrepr, "reprcrash", None), "message", None)
    text = crash or str(report.longrepr)
    return text[:MAX_MESSAGE]


def pytest_collectreport(report):
    if report.failed:
        _write({"event": "collect_error", "nodeid": report.nodeid, "message": str(report.longrepr)[:MAX_MESSAGE]})


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        _write({"event": "test", "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,
                "message": _message(report) if report.outcome != "passed" else None})


def pytest_sessionfinish(session, exitstatus):
    _write({"event": "finish", "exitstatus": int(exitstatus)})
