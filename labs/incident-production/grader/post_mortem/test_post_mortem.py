"""Le post-mortem (POSTMORTEM.md), lu comme du texte : la vraie cause et une chronologie cohérente
avec le journal de production. L'impact et les actions sont jugés par le formateur."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest


def section(pattern: str) -> str:
    path = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd()) / "POSTMORTEM.md"
    if not path.is_file():
        pytest.fail("POSTMORTEM.md absent")
    text = unicodedata.normalize("NFKD", path.read_text(encoding="utf-8", errors="replace")[:100_000])
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    parts = re.split(r"^#{2,6}\s+", text, flags=re.M)
    return next((p for p in parts[1:] if re.match(pattern, p)), "")


def test_cause_nommee():
    cause = section(r"causes?")
    assert "is_minor" in cause, "la cause nomme la fonction en défaut"
    assert re.search(r"\bnone\b|non renseignee|sans annee|annee de naissance (absente|manquante|vide|inconnue)", cause), \
        "la cause dit quelles données la déclenchent"


@pytest.mark.parametrize("moment", ["14:02", "14:03", "14:41"])
def test_chronologie(moment):
    assert moment in section(r"chronologie|timeline"), "un moment clé du journal manque à la chronologie"
