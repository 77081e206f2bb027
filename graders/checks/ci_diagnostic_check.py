"""`ci-diagnostic` check: the learner's reading of a failed job's reports (log, JUnit, SARIF), graded
against the causes the lab knows. DIAGNOSTIC.md is read as text: its `## Causes` section must name
each known cause (every group of a cause's `all` has one of its words); a red herring named there
(`wrong` words) costs `wrong_penalty` of the check."""

from __future__ import annotations

import re
import tomllib

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding

HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


class DiagnosticOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str = "DIAGNOSTIC.md"
    causes: str = Field(..., description="TOML of the known causes and red herrings, relative to the lab")
    section: str = "Causes"
    wrong_penalty: float = Field(0.25, ge=0, le=1)


def section(text: str, title: str) -> str | None:
    """The body of the first section whose heading starts with `title` (case-insensitive)."""
    headings = list(HEADING.finditer(text))
    for index, heading in enumerate(headings):
        if heading.group(1).strip().lower().startswith(title.lower()):
            end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
            return text[heading.end():end]
    return None


def names(body: str, groups: list[list[str]]) -> bool:
    lowered = body.lower()
    return all(any(word.lower() in lowered for word in group) for group in groups)


class DiagnosticCheck(Check):
    kind = "ci-diagnostic"
    Options = DiagnosticOptions

    @classmethod
    def validate_lab(cls, options, lab, spec) -> None:
        path = lab.path / options.causes
        if not path.is_file():
            raise ValueError(f"causes: {options.causes} not found")
        if not tomllib.loads(path.read_text(encoding="utf-8")).get("causes"):
            raise ValueError(f"causes: {options.causes} defines no [[causes]]")

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        known = tomllib.loads((ctx.lab.path / self.options.causes).read_text(encoding="utf-8"))
        path = ctx.workspace / self.options.file
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        body = section(text, self.options.section)
        if body is None or not body.strip():
            return CheckOutcome(0.0, message=_("{file} has no \"## {section}\" section.").format(
                file=self.options.file, section=self.options.section))
        findings, found = [], 0
        for cause in known["causes"]:
            if names(body, cause["all"]):
                found += 1
            else:
                findings.append(Finding(rule="diagnostic-cause-missed", severity="medium", path=self.options.file,
                                        message=_("A cause of the failure is not named: {hint}").format(hint=cause["hint"])))
        wrong = [herring for herring in known.get("wrong", []) if names(body, herring["all"])]
        for herring in wrong:
            findings.append(Finding(rule="diagnostic-wrong-cause", severity="medium", path=self.options.file,
                                    message=_("Named as a cause, but it did not fail the job: {hint}").format(
                                        hint=herring["hint"])))
        fraction = max(0.0, found / len(known["causes"]) - self.options.wrong_penalty * len(wrong))
        return CheckOutcome(fraction, findings=findings, message=_("{found}/{total} causes named").format(
            found=found, total=len(known["causes"])))
