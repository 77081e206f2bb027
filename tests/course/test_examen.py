"""Exam preparation (course/examen/): the questionnaire professionnel bank covers C1, C7 and C11 in
the quiz format (or its documented open-question variant), the two dossier outlines name every lab,
and the English document is a verbatim, attributed extract with its quiz. Also checks the quizzes of
C9, C10 and C11."""

from __future__ import annotations

import doctest
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMEN = ROOT / "course" / "examen"
QUIZ = ROOT / "course" / "quiz"
LABS = sorted(p.parent.name for p in (ROOT / "labs").glob("*/lab.toml"))


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def check_choice_question(q: dict) -> None:
    assert isinstance(q["choices"], list) and len(q["choices"]) >= 2, q["id"]
    assert isinstance(q["answer"], int) and 0 <= q["answer"] < len(q["choices"]), q["id"]
    assert len(set(q["choices"])) == len(q["choices"]), q["id"]
    assert q["explanation"].strip(), q["id"]


def test_the_questionnaire_bank_covers_c1_c7_c11():
    data = load(EXAMEN / "questionnaire-professionnel.toml")
    assert data["section"] == "questionnaire-professionnel" and data["title"]
    questions = data["questions"]
    assert len(questions) >= 30
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids))
    counts = Counter(q["competence"] for q in questions)
    assert set(counts) == {"C1", "C7", "C11"}
    assert min(counts.values()) >= 8, counts
    kinds = Counter()
    for q in questions:
        assert re.fullmatch(rf"qp-{q['competence'].lower()}-\d\d", q["id"]), q["id"]
        assert q["question"].strip()
        if "answer_text" in q:
            assert "choices" not in q and "answer" not in q, q["id"]
            assert len(q["answer_text"]) > 80, q["id"]
            kinds["open"] += 1
        else:
            check_choice_question(q)
            kinds["choice"] += 1
        assert set(q) <= {"id", "competence", "question", "choices", "answer", "explanation", "answer_text"}, q["id"]
    assert kinds["open"] >= 5 and kinds["choice"] >= 15


def test_the_questionnaire_page_lists_exactly_the_bank():
    listed = re.findall(r"^- `(qp-c\d+-\d\d)`", (EXAMEN / "questionnaire-professionnel.md").read_text(encoding="utf-8"),
                        re.MULTILINE)
    bank = [q["id"] for q in load(EXAMEN / "questionnaire-professionnel.toml")["questions"]]
    assert sorted(listed) == sorted(bank)


@pytest.mark.parametrize("page", ["dossier-projet.md", "dossier-professionnel.md"])
def test_each_dossier_outline_names_every_lab(page):
    text = (EXAMEN / page).read_text(encoding="utf-8")
    assert len(LABS) >= 20
    missing = [lab for lab in LABS if f"`{lab}`" not in text]
    assert not missing, f"{page} does not name {missing}"
    named = set(re.findall(r"`((?:nb|web|c\d+)-[a-z0-9-]+|incident-production|anglais-technique|veille-vulnerabilites)`", text))
    assert named <= set(LABS), f"{page} names labs that do not exist: {named - set(LABS)}"


def test_no_to_come_in_the_exam_pages():
    for page in EXAMEN.glob("*.md"):
        text = page.read_text(encoding="utf-8").lower()
        assert "à venir" not in text and "bientôt" not in text and "(to come)" not in text, page.name


@pytest.mark.parametrize("section", ["c9", "c10", "c11", "examen-anglais"])
def test_quizzes_follow_the_format(section):
    data = load(QUIZ / f"{section}.toml")
    assert data["section"] == section and data["title"].startswith("Quiz")
    questions = data["questions"]
    assert len(questions) >= 8
    assert len({q["id"] for q in questions}) == len(questions)
    for q in questions:
        assert set(q) == {"id", "question", "choices", "answer", "explanation"}, q["id"]
        assert q["id"].startswith(f"{section}-")
        check_choice_question(q)


def test_the_english_document_is_attributed_and_verbatim():
    text = (EXAMEN / "document-anglais.md").read_text(encoding="utf-8")
    assert "Python Software Foundation License Version 2" in text
    assert "Copyright © 2001-2023 Python Software Foundation; All Rights Reserved." in text
    assert "CPython 3.11.7" in text and "Lib/doctest.py" in text
    blocks = re.findall(r"^```text\n(.*?)^```", text, re.S | re.M)
    assert len(blocks) == 2
    if sys.version_info[:2] != (3, 11):
        pytest.skip("the extract is compared with CPython 3.11's own docstrings")
    assert blocks[0].strip() == doctest.__doc__.strip()
    assert blocks[1].rstrip() in doctest.testmod.__doc__
    words = len(re.findall(r"[A-Za-z']+", "".join(blocks)))
    assert 300 <= words <= 700, words
