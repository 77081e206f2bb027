"""From the signed records of a graded pytest run to verdicts, incidents and proven tampering.

Pure functions of the records (see graders/runner/run_pytest.py for how they are written).
Tampering needs positive evidence: a canary reported as passed or skipped, or a canary that a
child collected and that has no verdict although that child finished normally (the report was
suppressed). A crash, a timeout, an early exit or a run cut by its wall clock is a *grading
incident*: the tests that ran keep their verdicts, the others count as not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graders.checks.pytest_discovery import base_id

NORMAL_EXIT = (0, 1, 5)  # pytest: all passed, some failed, nothing collected


@dataclass
class Case:
    """One recorded item (a test, or one case of a parametrized test)."""

    nodeid: str
    status: str  # passed | failed | error | skipped
    message: str | None = None
    learner: dict | None = None  # the exception and the learner's frames, when it came from their code
    timeout: bool = False
    incident: str | None = None  # timeout | crash, when the supervisor recorded it


@dataclass
class RunRecords:
    cases: dict[str, Case] = field(default_factory=dict)  # nodeid -> last meaningful verdict
    collected: list[str] = field(default_factory=list)  # first child's collection, in order
    collect_errors: dict[str, dict] = field(default_factory=dict)  # module nodeid -> record
    incidents: list[dict] = field(default_factory=list)
    complete: bool = False  # the supervisor finished every collected item
    supervised: bool = False  # the supervisor wrote its closing record
    suppressed: set[str] = field(default_factory=set)  # collected by a normally finished child, no verdict
    restarts: int = 0
    markers: dict[str, str] = field(default_factory=dict)  # marker value -> nodeid of the test that declared it


def _merge(previous: Case | None, new: Case) -> Case:
    """A failure in any phase wins over a pass; a skip only replaces a pass."""
    if previous is None:
        return new
    if new.status == "passed":
        return previous
    if new.status == "skipped":
        return new if previous.status == "passed" else previous
    return new if previous.status in ("passed", "skipped") else previous


def parse_records(records: list[dict]) -> RunRecords:
    run = RunRecords()
    child_collected: list[str] = []
    child_verdicts: set[str] = set()
    for record in records:
        event = record.get("event")
        nodeid = str(record.get("nodeid", ""))
        if event == "child":
            child_collected, child_verdicts = [], set()
        elif event == "collected":
            child_collected = [str(n) for n in record.get("nodeids") or []]
            if not run.collected:
                run.collected = child_collected
        elif event == "collect_error":
            run.collect_errors.setdefault(nodeid, record)
        elif event == "test":
            outcome = record.get("outcome")
            if outcome == "passed":
                status = "passed"
            elif outcome == "skipped":
                status = "skipped"
            else:
                status = "failed" if record.get("when") == "call" else "error"
            case = Case(nodeid, status, record.get("message"), record.get("learner") or None,
                        bool(record.get("timeout")) or record.get("incident") == "timeout", record.get("incident"))
            run.cases[nodeid] = _merge(run.cases.get(nodeid), case)
            child_verdicts.add(nodeid)
        elif event == "finish":
            if record.get("exitstatus") in NORMAL_EXIT:
                run.suppressed |= {n for n in child_collected if n not in child_verdicts}
        elif event == "incident":
            run.incidents.append(record)
        elif event == "marker" and isinstance(record.get("value"), str) and record["value"]:
            run.markers.setdefault(record["value"], nodeid)
        elif event == "done":
            run.supervised = True
            run.complete = bool(record.get("complete"))
            run.restarts = int(record.get("restarts") or 0)
    return run


def proven_tampering(run: RunRecords, canaries: set[str]) -> list[str]:
    """The canaries whose record proves interference with the test framework."""
    proven = []
    for canary in sorted(canaries):
        case = run.cases.get(canary)
        if case is not None and case.status in ("passed", "skipped") and case.incident is None:
            proven.append(canary)
        elif case is None and canary in run.suppressed:
            proven.append(canary)
    return proven


def cases_of(run: RunRecords, test_id: str) -> list[Case]:
    """The recorded items of one expected test, in collection order."""
    order = {nodeid: index for index, nodeid in enumerate(run.collected)}
    found = [case for nodeid, case in run.cases.items() if base_id(nodeid) == test_id]
    return sorted(found, key=lambda case: (order.get(case.nodeid, len(order)), case.nodeid))


def module_error(run: RunRecords, test_id: str) -> dict | None:
    module = test_id.split("::", 1)[0]
    return run.collect_errors.get(module)
