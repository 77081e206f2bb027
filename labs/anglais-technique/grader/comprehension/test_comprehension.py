"""Les réponses de REPONSES.toml comparées à la clé (QCM : la lettre ; réponse courte : des motifs
sur le texte mis en minuscules, espaces réduits)."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

KEY = {
    "python": {
        "p1": r"b", "p2": r"(capture_output\s*=\s*true|capture_output)", "p3": r"b", "p4": r"b",
        "p5": r"(text|encoding|errors|universal_newlines)",
    },
    "rfc": {
        "r1": r"a", "r2": r"a", "r3": r"b", "r4": r"a",
        "r5": r"(an? )?active network attackers?",
    },
    "requests": {
        "q1": r"(from |between )?v?2\.3\.0 (to|and|-|through|up to) v?2\.30\.0( included| inclusive)?",
        "q2": r"proxy-authorization( header)?", "q3": r"a", "q4": r"b", "q5": r"cve-2023-32681",
    },
}


def answer(section: str, question: str) -> str:
    path = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd()) / "REPONSES.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        pytest.fail(f"REPONSES.toml illisible : {type(exc).__name__}")
    value = data.get(section, {}).get(question, "")
    return re.sub(r"\s+", " ", str(value)).strip().strip(".").lower()


def check(section: str, question: str) -> None:
    given = answer(section, question)
    assert given, f"{section}.{question} sans réponse"
    assert re.fullmatch(KEY[section][question], given), f"{section}.{question} : réponse inexacte"


@pytest.mark.parametrize("question", ["p1", "p2", "p3", "p4", "p5"])
def test_python(question):
    check("python", question)


@pytest.mark.parametrize("question", ["r1", "r2", "r3", "r4", "r5"])
def test_rfc(question):
    check("rfc", question)


@pytest.mark.parametrize("question", ["q1", "q2", "q3", "q4", "q5"])
def test_requests(question):
    check("requests", question)
