"""Runs the worked example of course/transversal/anglais.md: BUG_REPORT.md passes the structural
checks of the anglais-technique lab (labs/anglais-technique/grader/rapport/test_rapport.py: title,
numbered steps, expected and actual results, environment with versions, written in English). The
lab's last check looks for the lab's own bug (error 500, apostrophe) and does not apply here."""

from __future__ import annotations

import importlib.util
from datetime import date

import pytest

from tests.helpers import REPO

FOLDER = REPO / "course" / "exemples" / "anglais"
LAB_CHECK = REPO / "labs" / "anglais-technique" / "grader" / "rapport" / "test_rapport.py"
STRUCTURE = ["test_titre_explicite", "test_etapes_pour_reproduire", "test_attendu_et_obtenu",
             "test_environnement", "test_redige_en_anglais"]


def lab_check(monkeypatch, folder):
    monkeypatch.setenv("CDA_SUBMISSION", str(folder))
    spec = importlib.util.spec_from_file_location("anglais_rapport_check", LAB_CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("check", STRUCTURE)
def test_the_bug_report_passes_the_lab_structure_checks(monkeypatch, check):
    getattr(lab_check(monkeypatch, FOLDER), check)()


def test_a_report_in_french_fails_the_language_check(monkeypatch, tmp_path):
    text = (FOLDER / "BUG_REPORT.md").read_text(encoding="utf-8")
    french = ("# Le renouvellement d'un prêt un samedi donne une date de retour un dimanche\n\n"
              "## Étapes pour reproduire\n\n1. Se connecter avec la carte M000001.\n"
              "2. Renouveler la bande dessinée un samedi.\n3. Lire la date de retour dans le tableau.\n\n"
              "## Résultat attendu\n\nLa date de retour est le mardi suivant, jour d'ouverture.\n\n"
              "## Résultat obtenu\n\nLa date de retour est un dimanche, quand la médiathèque est fermée.\n\n"
              "## Environnement\n\nMédiathèque 2.4.1, Python 3.11.9\n") * 2
    assert "## Steps to reproduce" in text
    (tmp_path / "BUG_REPORT.md").write_text(french, encoding="utf-8")
    with pytest.raises(AssertionError):
        lab_check(monkeypatch, tmp_path).test_redige_en_anglais()


def test_the_dates_of_the_report_follow_the_reference_rules():
    """The report's expected result is the reference rule (REGLES.md: closing days move the due date)."""
    spec = importlib.util.spec_from_file_location("reference_rules_for_anglais",
                                                  REPO / "course" / "mediatheque" / "app" / "mediatheque" / "rules.py")
    rules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules)
    assert rules.due_date(date(2031, 3, 16), "bd") == date(2031, 4, 1)
    text = (FOLDER / "BUG_REPORT.md").read_text(encoding="utf-8")
    assert "Sunday 16 March 2031" in text and "Tuesday 1 April 2031" in text
