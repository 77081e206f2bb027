"""Hidden tests never reach a learner: the one way their text is cut out of what a run printed.

Learner code can read the hidden tests it runs beside (pytest files, notebook cells) and echo them in
an exception, a print or a notebook output. Every learner-facing text that came out of a run goes
through `redact` with the secrets of its lab: the distinctive lines of the hidden tests (pytest) or
those lines and the pieces between their quotes, so an escaped or repr()'d copy is caught too
(notebooks, where the visible cells tell what the learner already has).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

REDACTED = "[…]"
MIN_SECRET = 8  # shorter hidden lines ("pass", "])") are not secrets worth redacting


def ordered(secrets: Iterable[str]) -> tuple[str, ...]:
    """Longest first, so that a line is cut whole before any piece of it."""
    return tuple(sorted(set(secrets), key=lambda s: (-len(s), s)))


def distinctive_lines(texts: Iterable[str]) -> tuple[str, ...]:
    """Every stripped line of `texts` long enough to be a secret, longest first."""
    return ordered(stripped for text in texts for line in text.splitlines()
                   if len(stripped := line.strip()) >= MIN_SECRET)


def hidden_test_lines(folder: Path) -> tuple[str, ...]:
    """The distinctive lines of every Python file of a hidden tests folder."""
    return distinctive_lines(path.read_text(encoding="utf-8", errors="replace")
                             for path in sorted(folder.rglob("*.py")))


def secret_fragments(lines: Iterable[str], visible_text: str) -> tuple[str, ...]:
    """Each hidden line and the pieces of it between quotes, except what the learner can see anyway."""
    secrets = set()
    for line in lines:
        stripped = line.strip()
        for piece in [stripped, *re.split(r"[\"'\\]", stripped)]:
            piece = piece.strip()
            if len(piece) >= MIN_SECRET and piece not in visible_text:
                secrets.add(piece)
    return ordered(secrets)


def leaks(text: str | None, secrets: Iterable[str]) -> bool:
    return bool(text) and any(secret in text for secret in secrets)


def redact(value, secrets: tuple[str, ...]):
    """`value` (text, or JSON-like lists and dicts of it) with every secret cut out; `secrets` ordered."""
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: redact(v, secrets) for k, v in value.items()}
    return value
