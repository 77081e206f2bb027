"""Learner-facing text goes through gettext catalogs (Babel): msgids are English, French is the default."""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import Callable

from graders.errors import GraderUnavailable

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "graders"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])
    except FileNotFoundError:
        raise GraderUnavailable(
            f"gettext catalog for {lang!r} is not compiled; run `make install` (pybabel compile)"
        ) from None


def N_(message: str) -> str:
    """Mark a msgid for extraction (pybabel knows `N_`) where it is defined; translate it later with `_()`."""
    return message


def gettext_for(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext
