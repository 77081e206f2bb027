"""The cahier des charges a lab grades against (its TOML, derived from course/mediatheque/)."""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Specification:
    requirements: tuple[str, ...]  # EX-01...
    actors: dict[str, str]  # id -> name
    use_cases: dict[str, str]  # UC-01 -> name


def read(path: Path) -> Specification:
    """Raises ValueError with one line when the file is not a cahier des charges."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Specification(tuple(r["id"] for r in data["requirements"]),
                             {a["id"]: a["name"] for a in data["actors"]},
                             {u["id"]: u["name"] for u in data["use_cases"]})
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path.name}: not a cahier des charges ({exc})") from None


def normalise(text: str) -> str:
    """Case, accents, apostrophes and spacing do not matter when names are compared."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(text.split())
