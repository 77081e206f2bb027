"""Tampering needs positive evidence: record streams as data, one verdict each.

Each case is the signed record stream a supervised run could produce (graders/runner/run_pytest.py);
`proven_tampering` must name a canary only when the records prove interference.
"""

from __future__ import annotations

import pytest

from graders.checks.pytest_verdicts import parse_records, proven_tampering

CANARY = "test_a.py::test_loan_fee_title_42"
TEST = "test_a.py::test_fee"


def stream(*events: dict) -> list[dict]:
    return [{**event, "seq": index} for index, event in enumerate(events)]


CHILD = {"event": "child", "index": 0}
COLLECTED = {"event": "collected", "nodeids": [TEST, CANARY]}
FAILED_CANARY = {"event": "test", "nodeid": CANARY, "when": "call", "outcome": "failed", "message": "assert 1 == 2"}
PASSED_TEST = {"event": "test", "nodeid": TEST, "when": "call", "outcome": "passed"}
FINISH_OK = {"event": "finish", "exitstatus": 1}
DONE = {"event": "done", "complete": True, "restarts": 0}

CASES = {
    # name: (records, tampering proven)
    "honest run": ([CHILD, COLLECTED, PASSED_TEST, FAILED_CANARY, FINISH_OK, DONE], False),
    "canary reported passed": ([CHILD, COLLECTED, PASSED_TEST, {**FAILED_CANARY, "outcome": "passed"}, FINISH_OK, DONE],
                               True),
    "canary reported skipped": ([CHILD, COLLECTED, PASSED_TEST, {**FAILED_CANARY, "outcome": "skipped"}, FINISH_OK,
                                 DONE], True),
    "canary report suppressed in a normal finish": ([CHILD, COLLECTED, PASSED_TEST, FINISH_OK, DONE], True),
    "process died before the canary": ([CHILD, COLLECTED, PASSED_TEST, {"event": "incident", "kind": "crash"},
                                        {"event": "done", "complete": False}], False),
    "pytest INTERNALERROR before the canary": ([CHILD, COLLECTED, PASSED_TEST, {"event": "finish", "exitstatus": 3},
                                                {"event": "incident", "kind": "crash"}, DONE], False),
    "collection never finished": ([CHILD, {"event": "incident", "kind": "collection-timeout"}, DONE], False),
    "canary killed at its time limit": ([CHILD, COLLECTED, PASSED_TEST, {"event": "start", "nodeid": CANARY},
                                         {**FAILED_CANARY, "incident": "timeout"}, DONE], False),
    "wall clock: no closing record at all": ([CHILD, COLLECTED, PASSED_TEST], False),
    "second child ran the canary": ([CHILD, COLLECTED, {"event": "incident", "kind": "crash"}, CHILD,
                                     {"event": "collected", "nodeids": [CANARY]}, FAILED_CANARY, FINISH_OK, DONE], False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tampering_only_on_positive_evidence(name):
    records, proven = CASES[name]
    assert bool(proven_tampering(parse_records(stream(*records)), {CANARY})) is proven


def test_a_failure_in_any_phase_wins_over_a_pass():
    records = stream(CHILD, COLLECTED, PASSED_TEST,
                     {"event": "test", "nodeid": TEST, "when": "teardown", "outcome": "failed", "message": "boom"},
                     FAILED_CANARY, FINISH_OK, DONE)
    assert parse_records(records).cases[TEST].status == "error"
