"""`bandit` check: static security findings on the submission, points lost by severity."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding
from graders.sandbox.base import OUTPUT, TRUSTED
from graders.security.interpreters import analyser
from graders.security.runner import ToolCall, extra_mounts

SEVERITY = {"LOW": "low", "MEDIUM": "medium", "HIGH": "high"}
CONFIDENCE = {"LOW": "low", "MEDIUM": "medium", "HIGH": "high"}
RANK = {"low": 1, "medium": 2, "high": 3}
CONFIG_DIR = Path(__file__).resolve().parent / "bandit_config"


class Penalties(BaseModel):
    model_config = ConfigDict(extra="forbid")
    low: float = Field(1, ge=0)
    medium: float = Field(3, ge=0)
    high: float = Field(5, ge=0)


class BanditOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(default_factory=lambda: ["."], min_length=1)
    exclude: list[str] = Field(default_factory=lambda: ["tests", "test"])
    penalties: Penalties = Field(default_factory=Penalties)
    min_confidence: str = Field("medium", pattern="^(low|medium|high)$")


def bandit_finding(issue: dict, _) -> Finding:
    cwe = (issue.get("issue_cwe") or {}).get("id")
    test_id = issue.get("test_id", "B000")
    references = [f"CWE-{cwe}"] if cwe else []
    references.append(f"bandit {test_id}")
    return Finding(
        rule=f"bandit-{test_id}",
        severity=SEVERITY.get(issue.get("issue_severity", ""), "medium"),
        confidence=CONFIDENCE.get(issue.get("issue_confidence", ""), None),
        message=_("Security weakness {test_id} ({name}): {text}").format(
            test_id=test_id, name=issue.get("test_name", ""), text=issue.get("issue_text", "")),
        path=issue.get("filename", "").removeprefix("./"),
        line=issue.get("line_number"),
        references=references,
        help=_("Read the bandit documentation of {test_id} and fix the code rather than silencing it: "
               "`# nosec` comments are ignored by the grader.").format(test_id=test_id),
    )


class BanditCheck(Check):
    kind = "bandit"
    Options = BanditOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        present = [p for p in self.options.paths if (ctx.workspace / p).exists()]
        if not present:
            return CheckOutcome(0.0, message=_("Nothing to analyse: none of {paths} exists in the submission.").format(
                paths=", ".join(self.options.paths)))
        excluded = ",".join(f"./{p}" for p in self.options.exclude)
        python = analyser()  # the newest Python with bandit, so that 3.12+ syntax is parsed
        run, out = ctx.run_sandboxed(
            [python.python, "-I", "-m", "bandit", "-r", *present, "--ignore-nosec", "-q",
             "--ini", f"{TRUSTED}/config/bandit.ini", "-c", f"{TRUSTED}/config/bandit.yaml",
             "-x", excluded, "-f", "json", "-o", f"{OUTPUT}/bandit.json", "--exit-zero"],
            trusted={"config": CONFIG_DIR},
            outputs=["bandit.json"],
            mounts=extra_mounts([ToolCall("bandit", [], folders=python.folders)]),
        )
        report_path = out / "bandit.json"
        if not report_path.is_file():
            return CheckOutcome(0.0, error=True, message=_("bandit produced no report: {error}").format(
                error=(run.stderr.strip().splitlines() or ["?"])[-1][:300]))
        report = json.loads(report_path.read_text(encoding="utf-8"))
        threshold = RANK[self.options.min_confidence]
        findings = [
            bandit_finding(issue, _)
            for issue in report.get("results", [])
            if RANK.get(CONFIDENCE.get(issue.get("issue_confidence", ""), "low"), 1) >= threshold
        ]
        for error in report.get("errors", []):  # never silently skipped: named, and it costs points
            findings.append(Finding(
                rule="bandit-parse-error", severity="medium", path=(error.get("filename") or "").removeprefix("./"),
                message=_("File NOT checked: {python} cannot parse it ({reason}).").format(
                    python=python.label, reason=error.get("reason")),
                help=_("Check that the file is valid Python. If it uses syntax newer than the analyser's Python, "
                       "install a newer Python and run `make analysers` so that the grader uses it.")))
        lost = sum(getattr(self.options.penalties, f.severity, 0) for f in findings)  # parse errors: medium
        fraction = max(0.0, 1.0 - lost / ctx.spec.points)
        message = _("{count} finding(s)").format(count=len(findings))
        return CheckOutcome(fraction, findings=findings, message=message)
