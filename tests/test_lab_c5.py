"""Lab c5-besoins-maquettes: each check on the one mistake it must name, graded through the engine
with the lab narrowed to that check (the whole lab is graded by tests/test_labs.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graders.design.mermaid import mermaid_js, parse_diagrams
from graders.design.mockups import crawl, read_screens
from graders.engine import grade
from graders.errors import GraderUnavailable
from graders.labs import Lab, load_lab
from graders.services import postgres as pg
from graders.services import redis as rd
from tests.helpers import REPO

LAB_DIR = REPO / "labs" / "c5-besoins-maquettes"
SOLUTION = LAB_DIR / "solution"


def _mermaid_missing() -> str | None:
    try:
        mermaid_js()
        return None
    except GraderUnavailable as exc:
        return str(exc)


def _chromium_missing() -> str | None:
    return None if Path("/usr/bin/chromium").is_file() else "Chromium not installed (/usr/bin/chromium)"


@pytest.fixture(scope="module")
def lab() -> Lab:
    return load_lab(LAB_DIR)


def narrowed(lab: Lab, *check_ids: str) -> Lab:
    """The lab with only these checks (and no examples): one aspect graded, quickly."""
    manifest = lab.manifest.model_copy(update={"checks": [c for c in lab.manifest.checks if c.id in check_ids],
                                                "examples": {}})
    return Lab(lab.path, manifest, lab.options)


def solution_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SOLUTION, tmp_path / "submission"))


def criterion(result, criterion_id: str):
    return next(c for c in result.criteria if c.id == criterion_id)


def findings(result, rule: str) -> list:
    return [f for check in result.checks for f in check.findings if f.rule == rule]


@pytest.mark.parametrize("requirement", ["EX-07", "EX-21"])
def test_removing_every_mention_of_a_requirement_names_it_and_blocks_c5_1(lab, tmp_path, requirement):
    submission = solution_copy(tmp_path)
    for path in submission.rglob("*"):
        if path.is_file() and path.suffix in (".feature", ".md", ".mmd", ".html"):
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(rf"@?{requirement}\b", "", text), encoding="utf-8")
    result = grade(narrowed(lab, "exigences-couvertes"), submission, lang="en")
    named = findings(result, "requirement-not-covered")
    assert [f.references for f in named] == [[requirement]] and requirement in named[0].message
    verdict = criterion(result, "C5.1")
    assert verdict.verdict == "not-acquired" and [b.flaw for b in verdict.blocking] == ["uncovered-requirement"]
    assert verdict.rubric, "the rubric item of C5.1 waits for the trainer"


def test_the_solution_covers_every_requirement_and_every_story_has_a_screen(lab):
    result = grade(narrowed(lab, "exigences-couvertes", "ecrans-des-stories"), SOLUTION, lang="en")
    assert [c.score for c in result.checks] == [c.max_score for c in result.checks]
    assert {c.id: c.verdict for c in result.criteria}["C5.1"] == "acquired"


def test_unknown_ids_and_a_story_without_screen_are_named(lab, tmp_path):
    submission = solution_copy(tmp_path)
    story = submission / "user-stories" / "us-07-compte.feature"
    story.write_text(story.read_text(encoding="utf-8").replace("@US-07 @EX-19", "@US-07 @EX-19 @EX-99"), encoding="utf-8")
    screen = submission / "maquettes" / "reservation.html"
    screen.write_text(screen.read_text(encoding="utf-8").replace('content="US-06"', 'content="US-42"'), encoding="utf-8")
    broken = submission / "user-stories" / "brouillon.feature"
    broken.write_text('# language: fr\nFonctionnalité: a\n  Scénario: b\n    Étant donné x\n    """\n', encoding="utf-8")
    result = grade(narrowed(lab, "exigences-couvertes", "ecrans-des-stories"), submission, lang="en")
    assert any("EX-99" in f.message for f in findings(result, "unknown-requirement"))
    assert [f.references for f in findings(result, "story-without-screen")] == [["US-06"]]
    assert [f.references for f in findings(result, "unknown-story")] == [["US-42"]]
    assert {(f.path, f.line) for f in findings(result, "gherkin-syntax")} == {("user-stories/brouillon.feature", 6)}
    assert {c.id: c.score < c.max_score for c in result.checks} == {"exigences-couvertes": True,
                                                                     "ecrans-des-stories": True}


def test_links_are_crawled_from_the_start_screen(tmp_path):
    folder = tmp_path / "maquettes"
    folder.mkdir()
    pages = {"accueil": '<a href="catalogue.html#x">c</a><a href="https://example.org/a.html">x</a>',
             "catalogue": '<form action="compte.html"></form><a href="catalogue.html">self</a>',
             "compte": '<a href="accueil.html">a</a><a href="absent.html">x</a>', "isole": '<a href="accueil.html">a</a>'}
    for name, body in pages.items():
        (folder / f"{name}.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    screens = read_screens(folder, tmp_path)
    assert crawl(screens, "accueil") == {("accueil", "catalogue"), ("catalogue", "compte"), ("compte", "accueil")}


COURSE = REPO / "course" / "competences" / "c5.md"
TEMPLATES = REPO / "course" / "modeles"


def course_blocks(language: str) -> list[str]:
    section = COURSE.read_text(encoding="utf-8").split("## Exemple commenté", 1)[1].split("\n## Exercices", 1)[0]
    return re.findall(rf"```{language}(?: title=\"[^\"]*\")?\n(.*?)```", section, re.DOTALL)


def test_the_course_example_and_the_story_template_are_valid_gherkin():
    from gherkin.parser import Parser
    from gherkin.token_scanner import TokenScanner

    blocks = course_blocks("gherkin")
    solution = (SOLUTION / "user-stories" / "us-04-emprunter.feature").read_text(encoding="utf-8")
    for block in (blocks[0], (TEMPLATES / "user-story.feature").read_text(encoding="utf-8")):
        assert Parser().parse(TokenScanner(block))["feature"]["language"] == "fr"
    # the worked example is the solution's own story: it holds on the application
    assert len(blocks) == 2 and all(line in solution for block in blocks for line in block.splitlines() if line.strip())


@pytest.mark.skipif(_mermaid_missing() is not None, reason=f"Mermaid: {_mermaid_missing()}")
@pytest.mark.skipif(_chromium_missing() is not None, reason=str(_chromium_missing()))
def test_mermaid_parses_diagrams_and_reports_syntax_errors():
    course = {f"cours-{n}.mmd": text for n, text in enumerate(course_blocks("mermaid"))}
    parsed = parse_diagrams({
        "flux.mmd": "flowchart TD\n  accueil[Accueil] --> catalogue[Catalogue]\n",
        "seq.mmd": "sequenceDiagram\n  title US-04 Emprunter\n  actor A as Adhérent\n  A->>B: emprunte\n",
        "faux.mmd": "flowchart TD\n  accueil -->\n",
        "modele.mmd": (TEMPLATES / "enchainement-ecrans.mmd").read_text(encoding="utf-8"),
        **course,
    })
    assert len(course) == 2 and not [name for name, d in parsed.items() if d.error and name != "faux.mmd"]
    assert ("ecran", "ecran-suivant") in parsed["modele.mmd"].edges
    assert parsed["flux.mmd"].nodes == {"accueil": "Accueil", "catalogue": "Catalogue"}
    assert parsed["flux.mmd"].edges == [("accueil", "catalogue")]
    assert parsed["seq.mmd"].title == "US-04 Emprunter" and parsed["seq.mmd"].actors["A"] == "Adhérent"
    assert parsed["seq.mmd"].actor_kinds["A"] == "actor" and parsed["seq.mmd"].messages == 1
    assert parsed["faux.mmd"].error and "Parse error" in parsed["faux.mmd"].error


@pytest.mark.skipif(_mermaid_missing() is not None, reason=f"Mermaid: {_mermaid_missing()}")
@pytest.mark.skipif(_chromium_missing() is not None, reason=str(_chromium_missing()))
def test_screen_flow_names_the_missing_and_the_extra_edge(lab, tmp_path):
    submission = solution_copy(tmp_path)
    catalogue = submission / "maquettes" / "catalogue.html"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace('href="connexion.html"', 'href="compte.html"'),
                         encoding="utf-8")
    flow = submission / "diagrammes" / "enchainement-ecrans.mmd"
    flow.write_text(flow.read_text(encoding="utf-8") + "  donnees --> catalogue\n", encoding="utf-8")
    result = grade(narrowed(lab, "enchainement-ecrans"), submission, lang="en")
    missing = sorted(f.message for f in findings(result, "flow-edge-missing"))
    extra = [f.message for f in findings(result, "flow-edge-undeclared")]
    assert len(missing) == 2 and "catalogue → connexion" in missing[0] and "donnees → catalogue" in missing[1]
    assert len(extra) == 1 and "catalogue.html links to compte.html" in extra[0]
    assert criterion(result, "C5.3").verdict == "consolidate"


@pytest.mark.skipif(_chromium_missing() is not None, reason=str(_chromium_missing()))
def test_a_mockup_without_lang_or_with_an_unlabelled_field_gets_its_rgaa_finding(lab, tmp_path):
    submission = solution_copy(tmp_path)
    home = submission / "maquettes" / "accueil.html"
    home.write_text(home.read_text(encoding="utf-8").replace('<html lang="fr">', "<html>"), encoding="utf-8")
    login = submission / "maquettes" / "connexion.html"
    login.write_text(login.read_text(encoding="utf-8").replace('<label for="carte">Numéro de carte (M et 6 chiffres)</label>',
                                                             ""), encoding="utf-8")
    result = grade(narrowed(lab, "ecrans-des-stories", "maquettes-rgaa"), submission, lang="en")
    rules = {f.rule: f for check in result.checks for f in check.findings}
    lang = [f for r, f in rules.items() if r.startswith("rgaa-8.3")]
    label = [f for r, f in rules.items() if r.startswith("rgaa-11.1")]
    assert lang and "maquettes/accueil.html" in (lang[0].path or "") + lang[0].message
    assert label and "maquettes/connexion.html" in (label[0].path or "") + label[0].message
    assert criterion(result, "C5.2").verdict != "acquired"


@pytest.mark.xdist_group("cda-databases")
@pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}")
@pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"Redis: {rd.unavailable_reason()}")
def test_scenarios_run_on_the_application_and_failures_name_their_step(lab, tmp_path):
    submission = tmp_path / "submission"
    (submission / "user-stories").mkdir(parents=True)
    (submission / "user-stories" / "us-04.feature").write_text("""# language: fr
@US-04 @EX-12
Fonctionnalité: Emprunter
  Scénario: Le quota d'un mineur
    Étant donné l'adhérent "M000002" est connecté
    Quand il emprunte l'exemplaire "EX000101"
    Alors le prêt est refusé avec le motif "quota atteint"

  Scénario: Une durée fausse
    Étant donné l'adhérent "M000001" est connecté
    Quand il emprunte l'exemplaire "EX000110"
    Alors la date de retour est le 25/03/2031

  Scénario: Une phrase hors du vocabulaire
    Étant donné l'adhérent "M000001" est connecté
    Quand il rend l'exemplaire "EX000110"
    Alors le prêt est accepté

  Scénario: Rien à vérifier
    Étant donné un visiteur
""", encoding="utf-8")
    (submission / "user-stories" / "us-05.feature").write_text("""# language: fr
@US-05 @EX-16
Fonctionnalité: Pénalités
  Scénario: Un tarif faux
    Quand un document est rendu avec 10 jours de retard
    Alors la pénalité est de 2,00 €
""", encoding="utf-8")
    result = grade(narrowed(lab, "criteres-acceptation"), submission, lang="en")
    check = result.checks[0]
    assert [t.status for t in check.tests] == ["passed", "failed", "failed", "failed", "failed"]
    fails = [f for f in findings(result, "scenario-fails") if f.path.endswith("us-04.feature")]
    assert len(fails) == 1 and fails[0].line == 12 and "18/03/2031" in fails[0].message
    assert [f.line for f in findings(result, "unknown-step")] == [16]
    assert [f.line for f in findings(result, "scenario-without-outcome")] == [19]
    assert [f.references for f in findings(result, "requirement-not-verified")] == [["EX-16"]]
    assert any("1,50" in f.message for f in fails + findings(result, "scenario-fails"))
    # 1 run of 5 holds, and it verifies 1 requirement of 27
    assert check.score == pytest.approx(check.max_score / 5 / 27, abs=0.01)
