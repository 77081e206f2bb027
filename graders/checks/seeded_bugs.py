"""`seeded-bugs` check: do the learner's own tests catch bugs seeded in a trusted implementation?

The learner's test folder runs (graders/runner/run_seeded.py, in the sandbox) against the lab's
reference package first: every test must pass there, or the tests prove nothing. Then against each
seed: the reference with one bug put in by an exact text replacement listed in the lab's seeds file
(TOML, `[[seeds]]` with `name`, `file`, `old`, `new`, `description`, `security`). A seed is caught when
the learner's tests fail on it. Score: the share of seeds caught. Catching no security seed is a
`seeded-security-bug-missed` finding (blocking flaw `untested-security`). The run on the reference writes
pytest's JUnit report and is shared (`baseline_run`, through `ctx.once`) with the `test-plan` check's report
part, which compares a learner's test report with it.

The exit codes come from the learner's own tests: they decide pass or fail, as tests do. What they
cannot do is see the seeds, which stay in the grader; what is shown of their run (the names of the tests
failing on the reference) is cut of every line of the reference first.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.service_options import ServiceOptions
from graders.redaction import hidden_test_lines, redact
from graders.results import Finding, TestCase
from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE
from graders.services import sandbox_services

RUNNER = Path(__file__).resolve().parent.parent / "runner" / "run_seeded.py"
MAX_JUNIT = 2_000_000  # characters of a JUnit report read at most


class Seed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9-]+$")
    file: str  # in the package
    old: str = Field(min_length=1)
    new: str
    description: str  # learner-facing (French): what the bug does, not where
    security: bool = False


class SeedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seeds: list[Seed] = Field(min_length=1)


class SeededBugsOptions(ServiceOptions):
    tests: str = "tests"  # the learner's test folder, in the submission
    package: str = "mediatheque"  # the learner's package, replaced by the reference's
    reference: str  # lab folder holding the reference package (named `package`)
    seeds: str  # lab TOML file listing the seeds
    per_test_timeout_s: float = Field(10, gt=0, le=60)

    @model_validator(mode="after")
    def relative(self) -> "SeededBugsOptions":
        if any(Path(p).is_absolute() or ".." in Path(p).parts for p in (self.tests, self.reference, self.seeds)):
            raise ValueError("tests, reference and seeds must be relative paths without '..'")
        return self


def load_seeds(options: SeededBugsOptions, lab) -> list[Seed]:
    """The seeds, each checked to apply exactly once to the reference (else the lab does not load)."""
    path = lab.resolve(options.seeds)
    seeds = SeedFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8"))).seeds
    package = lab.resolve(options.reference) / options.package
    for seed in seeds:
        target = package / seed.file
        if not target.is_file():
            raise ValueError(f"{options.seeds}: seed {seed.name}: no file {seed.file} in {options.reference}")
        found = target.read_text(encoding="utf-8").count(seed.old)
        if found != 1:
            raise ValueError(f"{options.seeds}: seed {seed.name}: `old` occurs {found} times in {seed.file} (needs 1)")
    if len({s.name for s in seeds}) != len(seeds):
        raise ValueError(f"{options.seeds}: two seeds share a name")
    return seeds


def variant(reference: Path, package: str, seed: Seed | None, scratch: Path) -> Path:
    """A folder holding the reference package, with `seed` applied."""
    root = Path(tempfile.mkdtemp(prefix="variant-", dir=scratch))
    root.chmod(0o755)  # mkdtemp's 0700 would be copied to /cda/variant, unreadable by the sandbox's user
    shutil.copytree(reference / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    if seed is not None:
        target = root / package / seed.file
        target.write_text(target.read_text(encoding="utf-8").replace(seed.old, seed.new, 1), encoding="utf-8")
    return root


def failed_lines(output: str) -> str:
    """pytest's short summary lines (FAILED / ERROR test ids), the learner's own tests' names."""
    return "\n".join(line[:300] for line in output.splitlines()
                     if line.startswith(("FAILED", "ERROR", "ImportError", "E ")))[:2000]


JUNIT = "junit.xml"


@dataclass(frozen=True)
class VariantRun:
    code: int | None  # pytest's exit code, None on a timeout
    output: str  # the end of the run's output
    junit: str | None = None  # pytest's JUnit XML (the baseline only); written by the learner's run: untrusted


def run_variant(ctx: CheckContext, options: SeededBugsOptions, seed: Seed | None, *, junit: bool = False) -> VariantRun:
    """The learner's tests on one variant (the reference when `seed` is None), in the sandbox."""
    root = variant(ctx.lab.resolve(options.reference), options.package, seed, ctx.scratch)
    with sandbox_services(ctx, options.services, template_files=options.template_files(ctx)) as (env, mounts):
        run, out = ctx.run_sandboxed(
            [sys.executable, "-I", f"{TRUSTED}/run_seeded.py", WORKSPACE, options.package,
             f"{TRUSTED}/variant", options.tests, f"{options.per_test_timeout_s:g}",
             *(["--first-failure"] if seed is not None else []), *(["--junit", f"{OUTPUT}/{JUNIT}"] if junit else [])],
            trusted={"run_seeded.py": RUNNER, "variant": root}, env=env or None, mounts=mounts,
            outputs=[JUNIT] if junit else [])
    report = out / JUNIT
    text = report.read_text(encoding="utf-8", errors="replace")[:MAX_JUNIT] if junit and report.is_file() else None
    return VariantRun(None if run.timed_out else run.returncode, run.stdout[-3000:], text)


def baseline_run(ctx: CheckContext, options: SeededBugsOptions) -> VariantRun:
    """The run on the reference, with its JUnit report: once per submission, shared with the checks
    that compare a learner's test report with it (`test-plan`, part `report`)."""
    key = ("seeded-bugs-baseline", options.tests, options.reference, options.package)
    return ctx.once(key, lambda: run_variant(ctx, options, None, junit=True))


class SeededBugsCheck(Check):
    kind = "seeded-bugs"
    Options = SeededBugsOptions

    @classmethod
    def validate_lab(cls, options: SeededBugsOptions, lab, spec) -> None:
        load_seeds(options, lab)

    def _reference_lines(self, ctx: CheckContext) -> tuple[str, ...]:
        """The reference's lines (the lab's hidden solution): cut from anything shown to the learner,
        since their tests can read the variant and print it."""
        return hidden_test_lines(ctx.lab.resolve(self.options.reference) / self.options.package)

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        seeds = load_seeds(self.options, ctx.lab)
        if not (ctx.workspace / self.options.tests).is_dir():
            return CheckOutcome(0.0, message=_("No test folder {folder}/ in the submission.").format(
                folder=self.options.tests), findings=[Finding(
                    rule="learner-tests-missing", severity="high",
                    message=_("No test folder {folder}/ in the submission.").format(folder=self.options.tests))])
        base = baseline_run(ctx, self.options)
        baseline, output = base.code, base.output
        cases = [TestCase(name="reference", status="passed" if baseline == 0 else "failed", score=0.0, max_score=0.0,
                          message=None if baseline == 0 else _("Your tests must all pass on the reference code."))]
        if baseline != 0:
            return CheckOutcome(0.0, tests=cases, message=_("Your tests fail on the reference code (exit {code})").format(
                code=baseline), findings=[Finding(
                    rule="learner-tests-fail-on-reference", severity="high",
                    message=_("Your tests do not all pass on the reference implementation: they cannot tell a bug "
                              "from a correct behaviour."), help=redact(failed_lines(output), self._reference_lines(ctx)) or None)])
        share = ctx.spec.points / len(seeds)
        caught: dict[str, bool] = {}
        for seed in seeds:
            code = run_variant(ctx, self.options, seed).code
            caught[seed.name] = code == 1
            cases.append(TestCase(name=f"seed:{seed.name}", status="passed" if caught[seed.name] else "failed",
                                  score=share if caught[seed.name] else 0.0, max_score=share,
                                  message=None if caught[seed.name] else seed.description))
        findings = [Finding(rule="seeded-bug-missed", severity="medium",
                            message=_("Your tests did not catch a seeded bug: {what}").format(what=seed.description))
                    for seed in seeds if not caught[seed.name]]
        security = [seed for seed in seeds if seed.security]
        if security and not any(caught[seed.name] for seed in security):
            findings.append(Finding(rule="seeded-security-bug-missed", severity="high", message=_(
                "Your tests caught none of the seeded security bugs: they do not test security.")))
        count = sum(caught.values())
        return CheckOutcome(count / len(seeds), tests=cases, findings=findings,
                            message=_("{caught}/{total} seeded bugs caught").format(caught=count, total=len(seeds)),
                            metrics={"seeds": len(seeds), "caught": count})
