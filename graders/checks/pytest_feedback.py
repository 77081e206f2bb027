"""Findings of a pytest run that tell the learner why, without revealing hidden tests.

Pure builders: records in, findings out. Hidden tests show their name and verdict only, so what a
learner needs to fix their code travels as findings written by the grader: the exception their
code raised on import, with their own file and line; the tests stopped by a time limit, with the
limit; a crash of the test process. Any text that came out of the run is cut of every line of the
hidden tests first (learner code can read them and echo them in an exception).
"""

from __future__ import annotations

from collections import defaultdict

from graders.checks.pytest_discovery import base_id
from graders.checks.pytest_verdicts import RunRecords
from graders.results import Finding

def describe(error: dict, clean) -> tuple[str, str | None, int | None]:
    """'Type: message (file, line N, in f)', and the learner's innermost frame."""
    kind = clean(str(error.get("type") or "Exception"))[:80]
    message = clean(str(error.get("message") or ""))
    frames = [f for f in error.get("frames") or [] if isinstance(f, dict)]
    text = f"{kind}: {message}" if message else kind
    if not frames:
        return text, None, None
    last = frames[-1]
    path, line = clean(str(last.get("file") or ""))[:200], last.get("line")
    line = line if isinstance(line, int) else None
    where = f"{path}, line {line}" if line else path
    if last.get("function") and last["function"] != "<module>":
        where += f", in {clean(str(last['function']))[:80]}"
    return f"{text} ({where})", path or None, line


def import_findings(run: RunRecords, clean, _) -> list[Finding]:
    findings = []
    for module, record in sorted(run.collect_errors.items()):
        learner = record.get("learner") if isinstance(record.get("learner"), dict) else None
        if learner:
            text, path, line = describe(learner, clean)
        else:
            text, path, line = _("the test module could not be collected"), None, None
        findings.append(Finding(
            rule="import-error", severity="high", path=path, line=line,
            message=_("The tests of {module} could not import your code: {error}").format(module=module, error=text),
            help=_("Every test of {module} counts as an error until this is fixed. Run your code once "
                   "(python -c \"import ...\") to see the whole traceback.").format(module=module)))
    return findings


def timeout_findings(run: RunRecords, limit_s: float, _) -> list[Finding]:
    stopped = sorted({base_id(c.nodeid) for c in run.cases.values() if c.timeout})
    if not stopped:
        return []
    return [Finding(
        rule="test-timeout", severity="medium",
        message=_("Stopped at the per-test time limit ({limit:g} s): {tests}").format(limit=limit_s, tests=", ".join(stopped)),
        help=_("Look for a loop whose condition never changes, unbounded recursion or a blocking call; "
               "each of these tests counts as failed, the others keep their verdicts."))]


def incident_findings(run: RunRecords, clean, _) -> list[Finding]:
    findings = []
    at_import = _("This is not counted as cheating. Look for code that runs at import time: an infinite loop, "
                  "exit(), input() or a long computation outside any function.")
    crashed = _("This is not counted as cheating. Look for os._exit(), exit() or code that crashes Python.")
    for case in sorted(run.cases.values(), key=lambda c: c.nodeid):
        if case.incident == "crash":
            findings.append(Finding(
                rule="grading-incident", severity="high",
                message=_("The test process stopped during {test} ({reason}); the following tests ran in a new "
                          "process.").format(test=base_id(case.nodeid), reason=clean(case.message or "?")),
                help=crashed))
    messages = {
        "collection-timeout": (_("Importing your code did not finish within {limit:g} s: the tests could not start."),
                               at_import),
        "collection-crash": (_("The test process ended while importing your code ({reason}): the tests could not "
                               "start."), at_import),
        "budget": (_("The run reached its time limit: the tests without a result count as failed."),
                   _("Look for infinite loops or very slow code; every test has its own time limit too.")),
        "crash": (_("The test process ended unexpectedly ({reason}); the tests without a result count as failed."),
                  crashed),
    }
    for incident in run.incidents:
        message, help_text = messages.get(str(incident.get("kind")), messages["crash"])
        limit = incident.get("limit_s") if isinstance(incident.get("limit_s"), (int, float)) else 0
        findings.append(Finding(
            rule="grading-incident", severity="high", help=help_text,
            message=message.format(limit=limit, reason=clean(str(incident.get("message"))))))
    return findings


def exception_findings(run: RunRecords, clean, _) -> list[Finding]:
    """For hidden tests: the exceptions raised in the learner's own code, by place, without their message."""
    places: dict[tuple, list[str]] = defaultdict(list)
    for case in run.cases.values():
        learner = case.learner or {}
        frames = [f for f in learner.get("frames") or [] if isinstance(f, dict)]
        if case.status in ("failed", "error") and frames and not case.timeout:
            last = frames[-1]
            places[(str(learner.get("type")), str(last.get("file")), last.get("line"), str(last.get("function")))].append(
                base_id(case.nodeid))
    findings = []
    for (kind, path, line, function), tests in sorted(places.items(), key=lambda kv: (kv[0][1], str(kv[0][2]))):
        findings.append(Finding(
            rule="learner-exception", severity="medium", path=clean(path), line=line if isinstance(line, int) else None,
            message=_("{error} raised in your code ({function}) during {count} hidden test(s): {tests}").format(
                error=clean(kind)[:80], function=clean(function)[:80], count=len(tests),
                tests=", ".join(sorted(set(tests)))),
            help=_("Reproduce the call with your own test to see the message and fix the cause.")))
    return findings

