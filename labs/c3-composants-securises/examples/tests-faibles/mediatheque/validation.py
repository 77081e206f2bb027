"""Validation des entrées, avant tout accès à la base."""

from __future__ import annotations

import re
from datetime import date

from mediatheque.errors import InvalidInputError

CARD_NUMBER = re.compile(r"M[0-9]{6}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
KINDS = ("livre", "bd", "cd", "dvd", "revue")  # rules.KINDS
MAX_TEXT = 100


def identifier(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > 2**31 - 1:
        raise InvalidInputError(f"{what} : identifiant entier positif attendu")
    return value


def text(value: object, what: str, *, allow_empty: bool = False, max_length: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} : texte attendu")
    value = value.strip()
    if (not value and not allow_empty) or len(value) > max_length or "\x00" in value:
        raise InvalidInputError(f"{what} : entre 1 et {max_length} caractères")
    return value


def card_number(value: object) -> str:
    value = text(value, "numéro de carte", max_length=7)
    if not CARD_NUMBER.fullmatch(value):
        raise InvalidInputError("numéro de carte : format M suivi de 6 chiffres")
    return value


def email(value: object) -> str:
    value = text(value, "courriel", max_length=254)
    if not EMAIL.fullmatch(value):
        raise InvalidInputError("courriel : adresse invalide")
    return value.lower()


def kind(value: object) -> str | None:
    if value is None:
        return None
    if value not in KINDS:
        raise InvalidInputError(f"type de document : {', '.join(KINDS)}")
    return value


def day(value: object, what: str = "date") -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidInputError(f"{what} : date attendue")
    return value


def identifiers(values: object, what: str) -> list[int]:
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidInputError(f"{what} : liste non vide d'identifiants attendue")
    checked = [identifier(v, what) for v in values]
    if len(set(checked)) != len(checked):
        raise InvalidInputError(f"{what} : identifiants en double")
    return checked
