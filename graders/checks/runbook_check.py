"""`runbook` check: the sections a Markdown document must hold (a deployment runbook...).

Each expected section is found by its heading (regular expressions, matched on the heading with
accents removed and lowercased); its text runs to the next heading of the same or a higher level.
A section earns its weight when it has at least `min_words` words and mentions every `mentions`
pattern, half of it when it is there but too short or misses a mention. A `required` section that
is absent caps the check at `required_cap`. The file is only read as text.

    [[checks]]
    kind = "runbook"
    [checks.options]
    file = "DEPLOIEMENT.md"
    [[checks.options.sections]]
    name = "Retour arrière"
    headings = ["retour arriere", "rollback"]
    mentions = ["rollback\\.sh"]
    required = true
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.documents import missing_document, normalise, read_document
from graders.results import Finding

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    headings: list[str] = Field(min_length=1)
    min_words: int = Field(30, ge=0)
    mentions: list[str] = Field(default_factory=list)
    weight: float = Field(1.0, gt=0)
    required: bool = False

    @field_validator("headings", "mentions")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns


class RunbookOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    sections: list[Section] = Field(min_length=1)
    required_cap: float = Field(0.4, ge=0, le=1)


@dataclass
class Block:
    title: str
    level: int
    line: int
    body: str


def blocks(text: str) -> list[Block]:
    """Every heading of the document with its text (subsections included); code fences are not headings."""
    lines = text.splitlines()
    heads: list[tuple[int, int, str]] = []
    fenced = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            heads.append((index, len(match.group(1)), match.group(2)))
    found = []
    for position, (index, level, title) in enumerate(heads):
        end = next((i for i, lvl, _ in heads[position + 1:] if lvl <= level), len(lines))
        found.append(Block(title, level, index + 1, "\n".join(lines[index + 1:end])))
    return found


def grade_runbook(text: str, sections: list[Section], cap: float, rel: str, _) -> tuple[float, list[Finding]]:
    document = blocks(text)
    findings: list[Finding] = []
    earned = total = 0.0
    missing_required = False
    for section in sections:
        total += section.weight
        block = next((b for b in document if any(re.search(p, normalise(b.title)) for p in section.headings)), None)
        if block is None:
            missing_required |= section.required
            findings.append(Finding(
                rule="runbook-missing-section", severity="high" if section.required else "medium", path=rel,
                message=_("No section « {name} » in {file}.").format(name=section.name, file=rel)))
            continue
        words = len(re.findall(r"\w+", block.body))
        body = normalise(block.body)
        absent = [p for p in section.mentions if not re.search(p, body)]
        if words < section.min_words:
            earned += section.weight / 2
            findings.append(Finding(
                rule="runbook-thin-section", severity="low", path=rel, line=block.line,
                message=_("Section « {name} »: {words} words, at least {min} expected.").format(
                    name=section.name, words=words, min=section.min_words)))
        elif absent:
            earned += section.weight / 2
            findings.append(Finding(
                rule="runbook-section-incomplete", severity="low", path=rel, line=block.line,
                message=_("Section « {name} » does not mention: {missing}.").format(
                    name=section.name, missing=", ".join(p.replace("\\", "") for p in absent))))
        else:
            earned += section.weight
    fraction = earned / total if total else 0.0
    if missing_required:
        fraction = min(fraction, cap)
    return fraction, findings


class RunbookCheck(Check):
    kind = "runbook"
    Options = RunbookOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts = self.options
        text = read_document(ctx.workspace, opts.file)
        if text is None:
            return missing_document("runbook-no-file", opts.file, _)
        fraction, findings = grade_runbook(text, opts.sections, opts.required_cap, opts.file, _)
        found = len(opts.sections) - sum(f.rule == "runbook-missing-section" for f in findings)
        return CheckOutcome(fraction, findings=findings, message=_("{found}/{total} section(s) found").format(
            found=found, total=len(opts.sections)))
