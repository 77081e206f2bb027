"""Documents of a submission read as text (runbooks, watch files): never run, size-capped."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from graders.checks.base import CheckOutcome
from graders.results import Finding

MAX_BYTES = 256 * 1024


def normalise(text: str) -> str:
    """Lowercased, accents removed, typographic apostrophes plain: what patterns are matched on."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("\u2019", "'")


def read_document(workspace: Path, rel: str) -> str | None:
    """The first MAX_BYTES of a regular file of the submission, or None (absent, a link, a folder)."""
    path = workspace / rel
    if not path.is_file() or path.is_symlink():
        return None
    return path.read_bytes()[:MAX_BYTES].decode("utf-8", errors="replace")


def missing_document(rule: str, rel: str, _) -> CheckOutcome:
    return CheckOutcome(0.0, findings=[Finding(rule=rule, severity="high", path=rel,
                                               message=_("No document {file}.").format(file=rel))],
                        message=_("{file} is missing").format(file=rel))
