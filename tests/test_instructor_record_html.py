"""The competence record page: axe-clean in both languages, every verdict told by text and a
pattern (not colour alone), the trainer's note and the automatic verdict beside it."""

from __future__ import annotations

import re

import pytest

from graders.instructor import gradebook as gb
from graders.instructor.record import build_record
from graders.instructor.record_view import record_html
from graders.labs import load_lab
from graders.results import Evidence, Result
from graders.verdicts import criterion_verdicts
from tests.helpers import REPO


def sample_record(tmp_path, lang: str) -> dict:
    """A c6 result with every verdict kind, and a trainer's review of the rubric item."""
    lab = load_lab(REPO / "labs" / "c6-architecture-couches")
    criteria = criterion_verdicts(lab.manifest, [])
    kinds = ["acquired", "consolidate", "not-acquired"]
    for criterion, verdict in zip([c for c in criteria if not c.rubric], kinds):
        criterion.verdict = verdict
        criterion.evidence = [Evidence(check="tests-caches", score=1, max_score=2, tests_failed=["test_x"])]
    engine = gb.open_gradebook(str(tmp_path / "g.sqlite"))
    gb.store_result(engine, "alice", Result(lab=lab.id, status="graded", criteria=criteria), "h")
    gb.record_review(engine, "alice", lab.id, "C6.3", "acquired", "Choix d'architecture <justifiés>", "Mme F")
    return build_record(engine, "alice", lang=lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_record_page_is_axe_clean_and_tells_verdicts_without_colour(page, tmp_path, lang):
    from graders.browser import axe_audit, format_violations

    record = sample_record(tmp_path, lang)
    html = record_html(record, lang)
    assert "<script" not in html and "http" not in re.sub(r'content="[^"]*"', "", html).split("<body>")[1]
    for verdict in ("acquired", "consolidate", "not-acquired", "not-assessed"):
        assert f"pat-{verdict}" in html
    assert ("Acquis" if lang == "fr" else "Acquired") in html and "&lt;justifiés&gt;" in html
    page.set_content(html)
    violations = axe_audit(page)
    assert not violations, "axe violations:\n" + format_violations(violations)
    cells = page.locator("table.grid td .badge").all_inner_texts()
    assert len(cells) == 53 and all(text.strip()[1:].strip() for text in cells)  # a glyph and a word in each
