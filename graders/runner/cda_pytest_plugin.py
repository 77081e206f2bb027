"""Records each test outcome as one signed JSON line, as soon as it is known.

Lines are flushed one by one so that a run killed half-way keeps what it proved. Each line carries
a sequence number and an HMAC with the run's key (given on stdin, never on disk or in the
environment), so lines written by anyone else into the results file are recognised and dropped.
"""

import hashlib
import hmac
import json

MAX_MESSAGE = 4000


def signer(key):
    def sign(payload):
        return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()

    return sign


def _message(report):
    if not report.longrepr:
        return None
    crash = getattr(getattr(report.longrepr, "reprcrash", None), "message", None)
    return (crash or str(report.longrepr))[:MAX_MESSAGE]


class Recorder:
    def __init__(self, path, key):
        self._file = open(path, "a", buffering=1, encoding="utf-8")
        self._sign = signer(key)
        self._seq = 0

    def _write(self, record):
        record["seq"] = self._seq
        self._seq += 1
        payload = json.dumps(record, sort_keys=True)
        self._file.write(json.dumps({"record": payload, "mac": self._sign(payload)}) + "\n")

    def pytest_collectreport(self, report):
        if report.failed:
            self._write({"event": "collect_error", "nodeid": report.nodeid, "message": str(report.longrepr)[:MAX_MESSAGE]})

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            self._write({"event": "test", "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,
                         "message": _message(report) if report.outcome != "passed" else None})

    def pytest_sessionfinish(self, session, exitstatus):
        self._write({"event": "finish", "exitstatus": int(exitstatus)})
