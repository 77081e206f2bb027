"""The generated blocks of the CCP pages: between `<!-- cda:mapping CCP1 -->` and `<!-- /cda:mapping -->`,
the table competence → labs → criteria they assess, from the lab manifests (the same reading as
`cda coverage`). `python -m graders.course_site --mapping write|check`."""

from __future__ import annotations

import re
from pathlib import Path

from graders.coverage import criterion_key, lab_criteria
from graders.errors import BadInput
from graders.labs import Lab
from graders.referentiel import Referentiel

OPEN = re.compile(r"^<!-- cda:mapping (CCP\d+) -->$", re.M)
CLOSE = "<!-- /cda:mapping -->"


def mapping_table(ccp_id: str, referentiel: Referentiel, labs: list[Lab]) -> str:
    ccp = next((c for c in referentiel.ccps if c.id == ccp_id), None)
    if ccp is None:
        raise BadInput(f"cda:mapping: unknown CCP {ccp_id!r} (known: {', '.join(c.id for c in referentiel.ccps)})")
    per_lab = [lab_criteria(lab) for lab in sorted(labs, key=lambda lab: lab.id)]
    lines = ["| Compétence | Lab | Critères évalués par les vérifications | Critères à évaluer par le formateur |",
             "|---|---|---|---|"]
    for cid in ccp.competences:
        ids = {f"{cid}.{k}" for k in range(1, len(referentiel.competences[cid].criteria) + 1)}
        title = f"{cid} — {referentiel.competences[cid].title}"
        rows = 0
        for found in per_lab:
            checked, rubric = found.checked & ids, found.rubric & ids
            if checked or rubric:
                lines.append(f"| {title} | [`{found.lab}`](../labs/{found.lab}/README.md) "
                             f"| {', '.join(sorted(checked, key=criterion_key)) or '—'} "
                             f"| {', '.join(sorted(rubric, key=criterion_key)) or '—'} |")
                rows += 1
        if not rows:
            lines.append(f"| {title} | — | — | — |")
    return "\n".join(lines) + "\n"


def fill_mappings(text: str, referentiel: Referentiel, labs: list[Lab], where: str = "") -> str:
    """`text` with every mapping block refilled; a text without markers comes back unchanged."""
    out, pos = [], 0
    for match in OPEN.finditer(text):
        if match.start() < pos:
            raise BadInput(f"{where}: cda:mapping {match.group(1)} opens inside another block")
        end = text.find("\n" + CLOSE, match.end())
        if end < 0:
            raise BadInput(f"{where}: cda:mapping {match.group(1)} has no closing line {CLOSE!r}")
        out += [text[pos:match.end()], "\n\n", mapping_table(match.group(1), referentiel, labs), "\n"]
        pos = end + 1
    out.append(text[pos:])
    return "".join(out)


def mapping_files(course: Path) -> list[Path]:
    return sorted(p for p in course.glob("*.md") if OPEN.search(p.read_text(encoding="utf-8")))


def sync_mappings(course: Path, referentiel: Referentiel, labs: list[Lab], write: bool) -> list[Path]:
    """The course pages whose blocks are out of date (rewritten when `write`)."""
    stale = []
    for path in mapping_files(course):
        text = path.read_text(encoding="utf-8")
        new = fill_mappings(text, referentiel, labs, str(path))
        if new != text:
            stale.append(path)
            if write:
                path.write_text(new, encoding="utf-8")
    return stale
