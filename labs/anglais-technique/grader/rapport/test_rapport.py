"""La structure du rapport de bogue BUG_REPORT.md, lu comme du texte : un titre, les étapes pour
reproduire, résultat attendu et obtenu, l'environnement ; rédigé en anglais. La qualité de la
langue et la précision sont jugées par le formateur."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

EN = {"the", "is", "to", "and", "of", "when", "with", "should", "instead", "page", "returns", "a", "an", "on"}
FR = {"le", "la", "les", "des", "est", "une", "un", "pour", "avec", "au", "lorsque", "quand", "sur", "renvoie"}


def report() -> str:
    path = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd()) / "BUG_REPORT.md"
    if not path.is_file():
        pytest.fail("BUG_REPORT.md absent")
    return path.read_text(encoding="utf-8", errors="replace")[:100_000]


def sections(text: str) -> dict[str, str]:
    """{heading in lower case: its body} for the `##` (or deeper) headings."""
    found: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        match = re.match(r"#{2,6}\s+(.*)", line)
        if match:
            current = match.group(1).strip().lower()
            found[current] = ""
        elif current is not None:
            found[current] += line + "\n"
    return found


def body(text: str, pattern: str) -> str:
    return next((b for h, b in sections(text).items() if re.search(pattern, h)), "")


def words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ']+", text.lower())


def test_titre_explicite():
    match = re.search(r"^#\s+(.+)$", report(), re.M)
    assert match and len(words(match.group(1))) >= 5 and "(title)" not in match.group(1), \
        "le titre (# …) doit résumer le problème en une phrase"


def test_etapes_pour_reproduire():
    steps = body(report(), r"steps? to reproduce|reproduc")
    assert len(re.findall(r"^\s*\d+[.)]\s+\S", steps, re.M)) >= 3, "au moins trois étapes numérotées"


def test_attendu_et_obtenu():
    text = report()
    expected, actual = body(text, r"^expected"), body(text, r"^(actual|observed)")
    assert len(words(expected)) >= 4 and len(words(actual)) >= 4, "résultats attendu et obtenu, chacun décrit"


def test_environnement():
    env = body(report(), r"environment")
    assert re.search(r"\d+\.\d+", env), "l'environnement donne au moins une version (navigateur, Python, application)"


def test_redige_en_anglais():
    tokens = words(report())
    english = sum(t in EN for t in tokens)
    french = sum(t in FR for t in tokens)
    assert len(tokens) >= 80 and english >= 3 * max(french, 1), "un rapport d'au moins 80 mots, en anglais"


def test_decrit_le_bogue():
    text = report().lower()
    assert "500" in text and re.search(r"apostrophe|l['’]\s*(é|e)tranger", text), \
        "le rapport décrit l'erreur 500 et ce qui la déclenche (l'apostrophe de la recherche)"
