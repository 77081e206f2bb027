"""Word count of the French teaching (the course conventions): `course/competences/c*.md` and
`course/transversal/*.md`, English summaries (`*.en.md`) left out, fenced code and HTML comments
excluded. A word is a whitespace-separated token holding at least one letter (`l'adhérent` is one
word; `|`, `—` and `42` are none)."""

from __future__ import annotations

import re
from pathlib import Path

from graders.paths import REPO_ROOT

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
COMMENT = re.compile(r"<!--.*?-->", re.S)
LETTER = re.compile(r"[^\W\d_]")


def prose(text: str) -> str:
    """The text without fenced blocks and HTML comments."""
    kept, fence = [], None
    for line in text.splitlines():
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip()[len(match.group(1)):].strip():
                fence = None
            continue
        kept.append(line)
    return COMMENT.sub(" ", "\n".join(kept))


def count_words(text: str) -> int:
    return sum(1 for token in prose(text).split() if LETTER.search(token))


def french_pages(course: Path) -> list[Path]:
    pages = [*sorted((course / "competences").glob("c*.md")), *sorted((course / "transversal").glob("*.md"))]
    return [p for p in pages if not p.name.endswith(".en.md")]


def course_words(course: Path = REPO_ROOT / "course") -> dict[str, int]:
    """Words of French teaching per section (`c3`, `securite-anssi`...)."""
    return {p.stem: count_words(p.read_text(encoding="utf-8")) for p in french_pages(course)}
