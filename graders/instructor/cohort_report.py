"""`cda cohort report`: the whole cohort from the gradebook.

- the heatmap, learners × criteria (terminal, and HTML with `--html`), and what blocks each learner
  (criteria assessed but not acquired, with the blocking flaws);
- `--csv`: one row per learner, one column per criterion of the référentiel (the verdict);
- `--moodle-csv F --lab LAB`: Moodle's grading worksheet (Identifier, Full name, Grade, Feedback
  comments), to upload in the assignment;
- `--bundles DIR`: per learner, a zip for the dossier professionnel: the record (JSON, HTML) and
  evidence.md, for each criterion the labs, checks, failed tests and the findings with their
  file and line;
- `--feedback DIR`: per learner, a folder and a zip with the HTML and Markdown report of each lab.
"""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import datetime
from pathlib import Path

from graders.errors import BadInput
from graders.instructor.gradebook import learners
from graders.instructor.record import build_record, counted_results
from graders.instructor.record_view import record_html
from graders.render._common import VERDICT_GLYPH, VERDICT_LABELS, translator
from graders.results import Result

LETTER = {"acquired": "A", "consolidate": "C", "not-acquired": "N", "not-assessed": ""}


def cohort_records(engine, *, policy: str | None = None, deadline: datetime | None = None, lang: str = "fr") -> dict:
    found = {person.id: build_record(engine, person.id, policy=policy, deadline=deadline, lang=lang)
             for person in learners(engine)}
    if not found:
        raise BadInput("the gradebook holds no learner yet (run `cda cohort grade` first)")
    return found


def assessed_ids(records: dict) -> list[str]:
    ids = {c["id"] for record in records.values() for c in record["criteria"] if c["labs"]}
    order = [c["id"] for c in next(iter(records.values()))["criteria"]]
    return [cid for cid in order if cid in ids]


def blockers(record: dict) -> list[str]:
    """`C8.3 (c8-acces-donnees: injection...)` for each criterion assessed and not acquired."""
    found = []
    for criterion in record["criteria"]:
        if criterion["labs"] and criterion["verdict"] in ("not-acquired", "consolidate"):
            reasons = sorted({b["flaw"] for lab in criterion["labs"] for b in lab.get("blocking", [])})
            found.append(criterion["id"] + (f" ({', '.join(reasons)})" if reasons else ""))
    return found


def print_heatmap(records: dict, lang: str, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    from graders.console import VERDICT_STYLE

    _ = translator(lang)
    console = console or Console()
    ids = assessed_ids(records)
    table = Table(caption=" · ".join(f"{VERDICT_GLYPH[v]} {_(label)}" for v, label in VERDICT_LABELS.items()))
    table.add_column("")
    for cid in ids:
        table.add_column(cid, justify="center")
    for learner, record in records.items():
        by_id = {c["id"]: c["verdict"] for c in record["criteria"]}
        table.add_row(learner, *[f"[{VERDICT_STYLE[by_id[c]]}]{VERDICT_GLYPH[by_id[c]]}[/]" for c in ids])
    console.print(table)
    for learner, record in records.items():
        blocked = blockers(record)
        if blocked:
            console.print(f"{learner}: {', '.join(blocked)}", highlight=False, markup=False)


def heatmap_html(records: dict, lang: str) -> str:
    from graders.instructor.record_view import environment

    _ = translator(lang)
    labels = {v: _(label) for v, label in VERDICT_LABELS.items()}
    rows = [(learner, {c["id"]: c["verdict"] for c in record["criteria"]}, blockers(record))
            for learner, record in records.items()]
    return environment().get_template("heatmap.html").render(_=_, lang=lang, ids=assessed_ids(records), rows=rows,
                                                            labels=labels, glyph=VERDICT_GLYPH)


def write_criteria_csv(records: dict, path: Path) -> None:
    ids = [c["id"] for c in next(iter(records.values()))["criteria"]]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["learner", "name", *ids, "ready_ccps"])
        for learner, record in records.items():
            by_id = {c["id"]: c["verdict"] for c in record["criteria"]}
            ready = " ".join(ccp["id"] for ccp in record["ccps"] if ccp["ready"])
            writer.writerow([learner, record["name"] or "", *[by_id[c] for c in ids], ready])


def write_moodle_csv(engine, records: dict, lab: str, path: Path, *, policy: str, deadline, lang: str) -> int:
    """Moodle's offline grading worksheet for one assignment: grade out of 100, verdicts as comments."""
    _ = translator(lang)
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Identifier", "Full name", "Grade", "Feedback comments"])
        for learner, record in records.items():
            stored = counted_results(engine, learner, policy=policy, deadline=deadline).get(lab)
            if stored is None:
                continue
            result = Result.model_validate(stored)
            comments = "; ".join(f"{c.id} {_(VERDICT_LABELS[c.verdict])}" for c in result.criteria)
            ident = f"Participant {record['external_id']}" if record["external_id"] else learner
            writer.writerow([ident, record["name"] or learner, f"{result.percent:.2f}", comments])
            rows += 1
    if not rows:
        raise BadInput(f"no learner has a graded submission of {lab!r} in the gradebook")
    return rows


def evidence_markdown(record: dict, results: dict, lang: str) -> str:
    _ = translator(lang)
    lines = [f"# {_('Competence record of {learner}').format(learner=record['learner'])}", ""]
    for criterion in record["criteria"]:
        if not criterion["labs"]:
            continue
        lines += [f"## {criterion['id']} {criterion['title']}: {_(VERDICT_LABELS[criterion['verdict']])}", ""]
        for lab in criterion["labs"]:
            lines.append(f"- **{lab['lab']}**, {lab['date']}: {_(VERDICT_LABELS[lab['verdict']])}")
            for review in lab["reviews"][-1:]:
                lines.append(f"  - {review['reviewer']}, {review['recorded_at']}: {review['note']}")
            result = Result.model_validate(results[lab["lab"]]) if lab["lab"] in results else None
            checks = {c.id: c for c in result.checks} if result else {}
            for evidence in lab.get("evidence", []):
                lines.append(f"  - `{evidence['check']}` {evidence['score']}/{evidence['max_score']}"
                             + (f"; {_('failed')}: {', '.join(evidence['tests_failed'])}" if evidence["tests_failed"] else ""))
                for finding in getattr(checks.get(evidence["check"]), "findings", [])[:20]:
                    where = f"{finding.path}:{finding.line}" if finding.path and finding.line else finding.path or ""
                    lines.append(f"    - `{finding.rule}` {where} {finding.message.splitlines()[0][:200]}".rstrip())
            for flaw in lab.get("blocking", []):
                lines.append(f"  - {_('Blocking flaw')}: {flaw['reason']} (`{flaw['rule']}`)")
        lines.append("")
    return "\n".join(lines)


def write_bundles(engine, records: dict, folder: Path, *, policy: str, deadline, lang: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for learner, record in records.items():
        results = counted_results(engine, learner, policy=policy, deadline=deadline)
        path = folder / f"{learner}-evidence.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr("record.json", json.dumps(record, ensure_ascii=False, indent=2))
            bundle.writestr("record.html", record_html(record, lang))
            bundle.writestr("evidence.md", evidence_markdown(record, results, lang))
        written.append(path)
    return written


def write_feedback(engine, records: dict, folder: Path, *, policy: str, deadline, lang: str) -> list[Path]:
    """Per learner: `<learner>/<lab>.html` and `.md`, and `<learner>.zip` of the same."""
    from graders.render.registry import render

    written = []
    for learner in records:
        mine = folder / learner
        mine.mkdir(parents=True, exist_ok=True)
        for lab, stored in counted_results(engine, learner, policy=policy, deadline=deadline).items():
            result = Result.model_validate(stored)
            for fmt, suffix in (("html", ".html"), ("markdown", ".md")):
                (mine / f"{lab}{suffix}").write_text(render(result, fmt, lang), encoding="utf-8")
        with zipfile.ZipFile(folder / f"{learner}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(mine.iterdir()):
                archive.write(file, f"{learner}/{file.name}")
        written.append(folder / f"{learner}.zip")
    return written
