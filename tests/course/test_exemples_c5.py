"""C5 worked example (course/competences/c5.md): the user story us-04-emprunter.feature is read as the
C5 lab reads stories, and its lines are those of the lab's solution (which holds on the reference
app); sequence-emprunter.mmd and enchainement-emprunter.mmd are parsed by Mermaid itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders.design.mermaid import mermaid_js, parse_diagrams
from graders.design.stories import read_stories
from graders.errors import GraderUnavailable
from tests.helpers import REPO

EXAMPLES = REPO / "course" / "exemples" / "c5"
SOLUTION = REPO / "labs" / "c5-besoins-maquettes" / "solution"
FILES = ["us-04-emprunter.feature", "sequence-emprunter.mmd", "enchainement-emprunter.mmd"]


def _mermaid_missing() -> str | None:
    if not Path("/usr/bin/chromium").is_file():
        return "Chromium not installed (/usr/bin/chromium)"
    try:
        mermaid_js()
    except GraderUnavailable as exc:
        return str(exc)
    return None


def test_every_example_file_is_tested():
    assert sorted(p.name for p in EXAMPLES.iterdir()) == sorted(FILES)


def test_the_story_is_valid_gherkin_tagged_with_its_requirements(tmp_path):
    folder = tmp_path / "user-stories"
    folder.mkdir()
    shutil.copy(EXAMPLES / "us-04-emprunter.feature", folder)
    stories = read_stories(folder, tmp_path)
    assert stories.errors == []
    [story] = stories.stories
    assert story.ids == ["US-04"]
    assert story.requirements == ["EX-10", "EX-11", "EX-12", "EX-13", "EX-14", "EX-15"]
    assert [s.runs for s in story.scenarios] == [2, 1, 3, 1]
    for scenario in story.scenarios:  # a criterion acts (Quand) and checks (Alors)
        assert "Action" in scenario.keywords and "Outcome" in scenario.keywords


def test_the_story_holds_because_it_is_the_solution_s_own(tmp_path):
    """Every line is one of the lab solution's story, which the C5 lab's tests run on the application."""
    solution = (SOLUTION / "user-stories" / "us-04-emprunter.feature").read_text(encoding="utf-8").splitlines()
    lines = (EXAMPLES / "us-04-emprunter.feature").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.strip() and line not in solution] == []


def test_a_broken_story_is_reported(tmp_path):
    folder = tmp_path / "user-stories"
    folder.mkdir()
    text = (EXAMPLES / "us-04-emprunter.feature").read_text(encoding="utf-8")
    (folder / "faux.feature").write_text(text.replace("    Exemples:", "    Exemple sans deux-points", 1), encoding="utf-8")
    assert read_stories(folder, tmp_path).errors


@pytest.mark.skipif(_mermaid_missing() is not None, reason=f"Mermaid: {_mermaid_missing()}")
def test_the_diagrams_are_read_by_mermaid():
    names = ["sequence-emprunter.mmd", "enchainement-emprunter.mmd"]
    parsed = parse_diagrams({n: (EXAMPLES / n).read_text(encoding="utf-8") for n in names}
                            | {"faux.mmd": "sequenceDiagram\n  A->>\n"})
    sequence, flow = parsed["sequence-emprunter.mmd"], parsed["enchainement-emprunter.mmd"]
    assert sequence.error is None and sequence.type == "sequence"
    assert sequence.title == "US-04 Emprunter un document"
    assert sequence.actor_kinds["A"] == "actor" and sequence.actors["A"] == "Adhérent"
    assert sequence.messages == 12
    assert flow.error is None and ("connexion", "compte") in flow.edges
    assert set(flow.nodes) == {"accueil", "catalogue", "connexion", "compte"}
    assert parsed["faux.mmd"].error
