"""The instructor page of the service (queue, latest results, cohort grid) and its sign-in form.

One self-contained HTML page in the reports' style (`graders/render/templates`); verdicts are told
by text, glyph and pattern, never by colour alone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from sqlalchemy import select
from sqlalchemy.orm import Session

from graders.i18n import N_
from graders.instructor.gradebook import Submission
from graders.render._common import VERDICT_GLYPH, VERDICT_LABELS, translator
from graders.render._jinja import TEMPLATES_DIR
from graders.service import store
from graders.service.views import stamp

HERE = Path(__file__).parent / "templates"
INSTRUCTOR_TEMPLATES = Path(__file__).parent.parent / "instructor" / "templates"
STATUS_LABELS = {"queued": N_("Queued"), "running": N_("Running"), "graded": N_("Graded"), "failed": N_("Failed")}


@lru_cache(maxsize=1)
def environment() -> Environment:
    loader = ChoiceLoader([FileSystemLoader(HERE), FileSystemLoader(TEMPLATES_DIR),
                           FileSystemLoader(INSTRUCTOR_TEMPLATES)])
    return Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


def cohort_grid(engine) -> tuple[list[str], list[tuple[str, dict]]]:
    """Labs, and per learner the latest graded attempt of each lab: percent and criterion verdicts."""
    latest: dict[tuple[str, str], Submission] = {}
    with Session(engine) as session:
        for row in session.scalars(select(Submission).order_by(Submission.graded_at, Submission.id)):
            latest[(row.learner_id, row.lab_id)] = row
        cells = {key: {"pct": round(100 * row.score / row.max_score) if row.max_score else 0,
                       "verdicts": [(v.criterion, v.verdict) for v in sorted(row.verdicts, key=lambda v: v.criterion)]}
                 for key, row in latest.items()}
    labs = sorted({lab for _learner, lab in cells})
    learners = sorted({learner for learner, _lab in cells})
    return labs, [(learner, {lab: cells.get((learner, lab)) for lab in labs}) for learner in learners]


def instructor_html(engine, lang: str) -> str:
    _ = translator(lang)
    labs, grid = cohort_grid(engine)
    rows = store.listing(engine, limit=300)
    queue = [r for r in rows if r.status in ("queued", "running")]
    done = [r for r in rows if r.status in ("graded", "failed")][:50]
    scores = {}
    with Session(engine) as session:
        for r in done:
            if r.status == "graded":
                scores[r.id] = session.execute(select(Submission.score, Submission.max_score).where(
                    Submission.learner_id == r.learner_id, Submission.lab_id == r.lab_id,
                    Submission.content_hash == r.content_hash)).first()
    return environment().get_template("service.html").render(
        _=_, lang=lang, queue=queue, done=done, scores=scores, labs=labs, grid=grid, stamp=stamp,
        statuses={k: _(v) for k, v in STATUS_LABELS.items()},
        labels={v: _(label) for v, label in VERDICT_LABELS.items()}, glyph=VERDICT_GLYPH)


def login_html(lang: str) -> str:
    return environment().get_template("login.html").render(_=translator(lang), lang=lang if lang in ("fr", "en") else "fr")
