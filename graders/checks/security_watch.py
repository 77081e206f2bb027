"""`security-watch` check: a security watch file (VEILLE.md) against an offline OSV snapshot.

The lab ships the snapshot (OSV JSON files, real advisories of the components it pins) and, in its
grader folder, the known answers: which advisories must appear, the decisions a reviewer would
accept for each, and the components the inventory must name. The learner's file is a Markdown
table, one advisory per row, with a decision (« mettre à jour », « non concerné », « risque
accepté ») and its justification. The file is only read as text, never run.

    [[checks]]
    kind = "security-watch"
    [checks.options]
    file = "VEILLE.md"
    snapshot = "starter/veille/osv"
    answers = "grader/veille_attendue.toml"
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.documents import missing_document, normalise, read_document
from graders.results import Finding

ADVISORY_ID = re.compile(r"\b(GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+|DEBIAN-CVE-\d{4}-\d+|"
                         r"(?<!DEBIAN-)CVE-\d{4}-\d{4,}|DSA-\d+-\d+|DLA-\d+-\d+)\b", re.IGNORECASE)
# Decisions, on the text with accents removed and lowercased.
DECISIONS = {
    "mettre-a-jour": re.compile(r"\b(mettre a jour|mise a jour|mis a jour|monter de version|montee de version|"
                                r"reconstruire|mettre-a-jour)\b"),
    "non-concerne": re.compile(r"\b(non concerne|pas concerne|non applicable|non-concerne)\b"),
    "risque-accepte": re.compile(r"\b(risque accepte|accepter le risque|risque-accepte)\b"),
}
DECISION_HEADER = re.compile(r"decision")
JUSTIFICATION_HEADER = re.compile(r"justif|raison|motif|analyse")


class AdvisoryAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    decisions: list[str] = Field(min_length=1)
    required: bool = True
    why: str = ""  # shown when the decision is not one of `decisions` (French: lab data)


class Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    components: list[str] = Field(default_factory=list)
    advisories: list[AdvisoryAnswer] = Field(min_length=1)


class WatchOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str = "VEILLE.md"
    snapshot: str
    answers: str
    min_justification_words: int = Field(4, ge=0)


def load_snapshot(folder: Path) -> dict[str, str]:
    """{any identifier of an advisory (its id, aliases, upstream), upper-case: the advisory's id}."""
    index: dict[str, str] = {}
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ValueError(f"no OSV file in {folder}")
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name in [data["id"], *data.get("aliases", []), *data.get("upstream", [])]:
            index.setdefault(name.upper(), data["id"])
    return index


def load_answers(path: Path) -> Answers:
    return Answers.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


@dataclass
class Row:
    line: int
    ids: set[str]
    decisions: set[str]
    justification_words: int


@dataclass
class WatchFile:
    rows: list[Row] = field(default_factory=list)
    unknown: list[tuple[str, int]] = field(default_factory=list)
    inventory: str = ""  # the table rows that name no advisory (the inventory's)


def cells_of(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_watch(text: str, index: dict[str, str]) -> WatchFile:
    """The rows of every Markdown table of the file that name an advisory."""
    parsed = WatchFile()
    header: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("|"):
            header = []
            continue
        cells = [normalise(c) for c in cells_of(line)]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        found = [m.group(1).upper() for m in ADVISORY_ID.finditer(line)]
        if not found:
            if not header:
                header = cells
            else:
                parsed.inventory += line + "\n"
            continue
        ids = {index[name] for name in found if name in index}
        parsed.unknown += [(name, number) for name in found if name not in index]
        decision_col = next((i for i, h in enumerate(header) if DECISION_HEADER.search(h)), None)
        reason_col = next((i for i, h in enumerate(header) if JUSTIFICATION_HEADER.search(h)), None)
        decision_text = cells[decision_col] if decision_col is not None and decision_col < len(cells) else " ".join(cells)
        decisions = {name for name, pattern in DECISIONS.items() if pattern.search(decision_text)}
        if reason_col is not None and reason_col < len(cells):
            reason = cells[reason_col]
        else:
            reason = " ".join(c for i, c in enumerate(cells) if i != decision_col)
            reason = ADVISORY_ID.sub(" ", reason)
        parsed.rows.append(Row(number, ids, decisions, len(re.findall(r"\w{2,}", reason))))
    return parsed


def grade_watch(parsed: WatchFile, answers: Answers, min_words: int, rel: str, _) -> tuple[float, list[Finding]]:
    """(fraction, findings): each required advisory and the inventory weigh the same."""
    findings: list[Finding] = []
    scores: list[float] = []
    for answer in answers.advisories:
        rows = [row for row in parsed.rows if answer.id in row.ids]
        if not rows:
            if answer.required:
                scores.append(0.0)
                findings.append(Finding(
                    rule="watch-missing-advisory", severity="medium", path=rel,
                    message=_("Advisory {id} of the snapshot concerns a pinned component and is not in the watch "
                              "file.").format(id=answer.id),
                    help=_("Compare every advisory of the snapshot with the versions you pin and the base image's "
                           "inventory, then write your decision and why.")))
            continue
        row = rows[0]
        if len(row.decisions) != 1:
            scores.append(0.0)
            findings.append(Finding(
                rule="watch-no-decision", severity="medium", path=rel, line=row.line,
                message=_("Advisory {id}: no single decision (expected one of: mettre à jour, non concerné, "
                          "risque accepté).").format(id=answer.id)))
            continue
        decision = next(iter(row.decisions))
        if decision not in answer.decisions:
            scores.append(0.0)
            findings.append(Finding(
                rule="watch-wrong-decision", severity="high", path=rel, line=row.line,
                message=_("Advisory {id}: the decision « {decision} » does not hold.").format(
                    id=answer.id, decision=decision.replace("-", " ")),
                help=answer.why or None))
            continue
        if row.justification_words < min_words:
            scores.append(0.5)
            findings.append(Finding(
                rule="watch-no-justification", severity="low", path=rel, line=row.line,
                message=_("Advisory {id}: the decision is right but not justified.").format(id=answer.id),
                help=_("Say why: the version you pin, whether the vulnerable code is reachable in production, "
                       "the fixed version.")))
            continue
        if answer.required:
            scores.append(1.0)
    for name, line in parsed.unknown:
        findings.append(Finding(
            rule="watch-unknown-advisory", severity="info", path=rel, line=line,
            message=_("{id} is not an advisory of the lab's snapshot.").format(id=name)))
    if answers.components:
        text = normalise(parsed.inventory)
        missing = [c for c in answers.components if normalise(c) not in text]
        scores.append(1 - len(missing) / len(answers.components))
        for component in missing:
            findings.append(Finding(
                rule="watch-missing-component", severity="low", path=rel,
                message=_("The inventory (a table of components and versions) does not name {component}.").format(
                    component=component)))
    return (sum(scores) / len(scores) if scores else 0.0), findings


class SecurityWatchCheck(Check):
    kind = "security-watch"
    Options = WatchOptions

    @classmethod
    def validate_lab(cls, options: WatchOptions, lab, spec) -> None:
        try:
            index = load_snapshot(lab.resolve(options.snapshot))
            answers = load_answers(lab.resolve(options.answers))
        except (OSError, ValueError, KeyError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"security watch data: {exc}") from exc
        unknown = [a.id for a in answers.advisories if a.id.upper() not in index]
        bad = [d for a in answers.advisories for d in a.decisions if d not in DECISIONS]
        if unknown or bad:
            raise ValueError(f"answers name advisories not in the snapshot {unknown} or unknown decisions {bad}")

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts = self.options
        text = read_document(ctx.workspace, opts.file)
        if text is None:
            return missing_document("watch-no-file", opts.file, _)
        index = load_snapshot(ctx.lab.resolve(opts.snapshot))
        answers = load_answers(ctx.lab.resolve(opts.answers))
        parsed = parse_watch(text, index)
        fraction, findings = grade_watch(parsed, answers, opts.min_justification_words, opts.file, _)
        message = _("{rows} advisory row(s) read, {count} finding(s)").format(rows=len(parsed.rows), count=len(findings))
        return CheckOutcome(fraction, findings=findings, message=message)
