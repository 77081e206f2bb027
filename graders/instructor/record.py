"""A learner's competence record: every criterion of the référentiel with its verdict, the labs and
evidence behind it, and the trainers' reviews; every CCP with its status for the jury.

For each lab, one attempt counts: the lab's policy (lab.toml `attempt`: `latest`, `best` or
`deadline`, the latest before the deadline given) unless the caller imposes one. On that attempt a
trainer's review of a criterion replaces the automatic verdict, which is kept beside it. A
criterion evidenced by several labs takes the best verdict among them (the jury asks whether the
learner has shown it); a CCP is ready for the jury when all its criteria are acquired.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from graders.errors import BadInput
from graders.instructor.gradebook import Learner, Review, attempt, submissions_of
from graders.referentiel import load_referentiel

RANK = {"not-assessed": 0, "not-acquired": 1, "consolidate": 2, "acquired": 3}
WORST_FIRST = ("not-acquired", "consolidate", "not-assessed", "acquired")


def record_roll_up(verdicts: list[str]) -> str:
    """A competence or CCP of the record: acquired only when every criterion is; else its worst verdict
    (a criterion no lab assessed yet keeps it from being acquired)."""
    return next((v for v in WORST_FIRST if v in verdicts), "not-assessed")


def _iso(stamp: datetime | None) -> str | None:
    return stamp.isoformat() if stamp else None


def lab_policy(lab_id: str, policy: str | None) -> str:
    """The attempt that counts for `lab_id`: the one asked for, else the lab's own (lab.toml `attempt`)."""
    return policy or _manifest_policy(lab_id)


@lru_cache(maxsize=256)
def _manifest_policy(lab_id: str) -> str:
    from graders.labs import MANIFEST, load_lab
    from graders.paths import LABS_DIR

    folder = LABS_DIR / lab_id
    if not (folder / MANIFEST).is_file():
        return "latest"  # a lab no longer in the labs folder
    try:
        return load_lab(folder).manifest.attempt
    except BadInput:
        return "latest"


def _entries(session: Session, learner: str, policy: str | None, deadline: datetime | None) -> dict[str, list[dict]]:
    """criterion -> one entry per lab whose counting attempt assesses it."""
    by_lab: dict[str, list] = {}
    for sub in submissions_of(session, learner):
        by_lab.setdefault(sub.lab_id, []).append(sub)
    reviews = list(session.scalars(select(Review).where(Review.learner_id == learner).order_by(Review.id)))
    entries: dict[str, list[dict]] = {}
    for lab, subs in sorted(by_lab.items()):
        chosen = attempt(subs, lab_policy(lab, policy), deadline)
        if chosen is None:
            continue
        for row in chosen.verdicts:
            mine = [r for r in reviews if r.lab_id == lab and r.criterion == row.criterion
                    and r.content_hash == chosen.content_hash]
            last = mine[-1] if mine else None
            entries.setdefault(row.criterion, []).append({
                "lab": lab, "date": _iso(chosen.submitted_at or chosen.graded_at), "commit": chosen.commit,
                "content_hash": chosen.content_hash, "verdict": last.verdict if last else row.verdict,
                "automatic_verdict": row.verdict, "fraction": row.fraction, **row.evidence,
                "reviews": [{"verdict": r.verdict, "automatic_verdict": r.automatic_verdict, "note": r.note,
                             "reviewer": r.reviewer, "recorded_at": _iso(r.recorded_at)} for r in mine]})
    return entries


def build_record(engine, learner: str, *, policy: str | None = None, deadline: datetime | None = None,
                 lang: str = "fr") -> dict:
    """The record as JSON-ready data: `{"learner", "criteria": [{"id", "verdict", ...}], "competences", "ccps"}`."""
    referentiel = load_referentiel()
    with Session(engine) as session:
        person = session.get(Learner, learner)
        if person is None:
            raise BadInput(f"{learner!r}: no such learner in the gradebook")
        entries = _entries(session, learner, policy, deadline)
    criteria = []
    for cid, (competence, title) in referentiel.criteria(lang).items():
        found = entries.get(cid, [])
        verdict = max((e["verdict"] for e in found), key=RANK.__getitem__, default="not-assessed")
        criteria.append({"id": cid, "competence": competence, "title": title, "verdict": verdict, "labs": found})
    competences = []
    for cid in referentiel.competences:
        mine = [c["verdict"] for c in criteria if c["competence"] == cid]
        competences.append({"id": cid, "title": referentiel.title_of(cid, lang), "verdict": record_roll_up(mine),
                            "acquired": sum(v == "acquired" for v in mine), "criteria": len(mine)})
    ccps = []
    for ccp in referentiel.ccps:
        mine = [c for c in criteria if c["competence"] in ccp.competences]
        missing = [c["id"] for c in mine if c["verdict"] != "acquired"]
        ccps.append({"id": ccp.id, "title": referentiel.ccp_title(ccp.id, lang),
                     "verdict": record_roll_up([c["verdict"] for c in mine]), "ready": not missing,
                     "missing": missing})
    return {"learner": learner, "name": person.name, "external_id": person.external_id, "attempt": policy, "deadline": _iso(deadline),
            "criteria": criteria, "competences": competences, "ccps": ccps}


def counted_results(engine, learner: str, *, policy: str | None = None, deadline: datetime | None = None) -> dict:
    """lab id -> the stored result (contract JSON) of the learner's attempt that counts."""
    with Session(engine) as session:
        by_lab: dict[str, list] = {}
        for sub in submissions_of(session, learner):
            by_lab.setdefault(sub.lab_id, []).append(sub)
        chosen = {lab: attempt(subs, lab_policy(lab, policy), deadline) for lab, subs in sorted(by_lab.items())}
        return {lab: sub.result for lab, sub in chosen.items() if sub is not None}
