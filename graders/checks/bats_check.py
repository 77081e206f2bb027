"""`bats` check: the submission's own bats tests pass, and they catch broken scripts.

bats (Debian package `bats`) runs the submission's test folder in the sandbox, once as it is, then
once per mutant: a lab-provided broken version of one script (a deploy.sh that does nothing...)
put in place of the submission's own in that run's private copy. A mutant is caught when a test
that passed on the submission fails on it. Half the points go to the tests passing (counted
against at least `min_tests`), half to the mutants caught.

    [[checks]]
    kind = "bats"
    [checks.options]
    tests = "tests"
    min_tests = 4
    mutants = [{ script = "rollback.sh", replacement = "grader/mutants/rollback-inerte.sh" }]
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding, TestCase
from graders.sandbox.base import TRUSTED, WORKSPACE

TAP = re.compile(r"^(not ok|ok) (\d+)(?: -)? ?(.*?)(?: # (?:skip|SKIP)\b.*)?$")
PLAN = re.compile(r"^1\.\.(\d+)")


class Mutant(BaseModel):
    model_config = ConfigDict(extra="forbid")
    script: str  # path in the submission
    replacement: str  # path in the lab
    description: str = ""


class BatsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tests: str = "tests"
    min_tests: int = Field(3, ge=1)
    mutants: list[Mutant] = Field(default_factory=list)


def parse_tap(text: str) -> tuple[int, dict[str, bool]]:
    """(planned count, {test name: passed}) of a bats TAP stream."""
    planned, results = 0, {}
    for line in text.splitlines():
        plan = PLAN.match(line)
        if plan:
            planned = int(plan.group(1))
            continue
        match = TAP.match(line)
        if match:
            name = match.group(3) or f"test {match.group(2)}"
            results[name] = match.group(1) == "ok"
    return planned, results


def score(planned: int, original: dict[str, bool], mutants: list[dict[str, bool]], min_tests: int) -> tuple[float, list[bool]]:
    """(fraction, caught per mutant)."""
    passing = {name for name, ok in original.items() if ok}
    total = max(planned, len(original), min_tests)
    passed_part = len(passing) / total
    caught = [any(name in passing and not run.get(name, False) for name in original) for run in mutants]
    if not mutants:
        return passed_part, caught
    return 0.5 * passed_part + 0.5 * sum(caught) / len(mutants), caught


# Runs in the sandbox, in the run's private workspace copy: files starting with #! are made
# executable (a submission copied or unpacked loses its modes), the mutant is put in place, then bats.
WRAPPER = """set -u
while IFS= read -r -d '' file; do
    if [ "$(head -c 2 "$file")" = '#!' ]; then chmod u+x "$file"; fi
done < <(find . -type f -size -1024k -print0)
if [ -n "${CDA_MUTANT_TARGET:-}" ]; then
    cp "$CDA_MUTANT_SOURCE" "$CDA_MUTANT_TARGET" && chmod 755 "$CDA_MUTANT_TARGET" || exit 97
fi
exec bats --tap --recursive "$CDA_BATS_TESTS"
"""


class BatsCheck(Check):
    kind = "bats"
    Options = BatsOptions

    @classmethod
    def validate_lab(cls, options: BatsOptions, lab, spec) -> None:
        for mutant in options.mutants:
            if not lab.resolve(mutant.replacement).is_file():
                raise ValueError(f"mutant {mutant.replacement} not found")

    def run_bats(self, ctx: CheckContext, trusted: dict, mutant: Mutant | None = None) -> tuple[str, str]:
        env = {"CDA_BATS_TESTS": self.options.tests, "TMPDIR": "/tmp"}
        if mutant is not None:
            env |= {"CDA_MUTANT_SOURCE": f"{TRUSTED}/mutant", "CDA_MUTANT_TARGET": f"{WORKSPACE}/{mutant.script}"}
            trusted = {**trusted, "mutant": ctx.lab.resolve(mutant.replacement)}
        run, _out = ctx.run_sandboxed(["bash", f"{TRUSTED}/wrapper.sh"], trusted=trusted, env=env)
        return run.stdout, run.stderr

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts = self.options
        if shutil.which("bats") is None:
            return CheckOutcome(0.0, error=True, message=_("bats is not installed (apt install bats)."))
        folder = ctx.workspace / opts.tests
        if not folder.is_dir() or not any(folder.rglob("*.bats")):
            return CheckOutcome(0.0, findings=[Finding(
                rule="bats-no-tests", severity="high", path=opts.tests,
                message=_("No bats test (*.bats) in {folder}.").format(folder=opts.tests))],
                message=_("no bats tests"))
        work = Path(tempfile.mkdtemp(prefix="bats-", dir=ctx.scratch))
        (work / "wrapper.sh").write_text(WRAPPER, encoding="utf-8")
        trusted = {"wrapper.sh": work / "wrapper.sh"}
        stdout, stderr = self.run_bats(ctx, trusted)
        planned, original = parse_tap(stdout)
        runs = [parse_tap(self.run_bats(ctx, trusted, mutant)[0])[1] for mutant in opts.mutants]
        fraction, caught = score(planned, original, runs, opts.min_tests)
        tests = [TestCase(name=name, status="passed" if ok else "failed") for name, ok in original.items()]
        findings: list[Finding] = []
        if not original:
            findings.append(Finding(rule="bats-no-result", severity="high", path=opts.tests,
                                    message=_("bats reported no test: {error}").format(
                                        error=(stderr.strip().splitlines() or stdout.strip().splitlines() or ["?"])[-1][:300])))
        elif len(original) < opts.min_tests:
            findings.append(Finding(rule="bats-too-few-tests", severity="medium", path=opts.tests,
                                    message=_("{count} bats test(s), at least {min} expected.").format(
                                        count=len(original), min=opts.min_tests)))
        for name, ok in original.items():
            if not ok:
                findings.append(Finding(rule="bats-test-failed", severity="medium", path=opts.tests,
                                        message=_("Your test « {name} » fails.").format(name=name)))
        for mutant, hit in zip(opts.mutants, caught):
            if not hit:
                findings.append(Finding(
                    rule="bats-mutant-survived", severity="medium", path=mutant.script,
                    message=_("Your tests still pass when {script} is replaced by a broken version: {what}").format(
                        script=mutant.script, what=mutant.description or "?"),
                    help=_("Add a test that checks what the script must do (its exit code, the files it changes), "
                           "not only that it runs.")))
        message = _("{passed}/{total} test(s) pass, {caught}/{mutants} broken script(s) caught").format(
            passed=sum(original.values()), total=len(original), caught=sum(caught), mutants=len(opts.mutants))
        return CheckOutcome(fraction, findings=findings, tests=tests, message=message)
