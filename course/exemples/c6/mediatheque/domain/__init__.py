"""Domaine : entités et règles de la médiathèque, en Python pur (ni Flask, ni SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_ACTIVE_LOANS = 5  # adulte (REGLES.md) ; le quota des mineurs est laissé à l'application de référence
LOAN_DAYS = {"livre": 21, "bd": 14, "cd": 14, "dvd": 7, "revue": 7}


class DomainError(Exception):
    """Racine des erreurs métier : elles ne connaissent pas HTTP."""


class QuotaReached(DomainError):
    def __init__(self) -> None:
        super().__init__("quota atteint")


class ItemAlreadyLent(DomainError):
    def __init__(self) -> None:
        super().__init__("exemplaire déjà prêté")


@dataclass(frozen=True)
class Loan:
    member_id: int
    item_id: int
    loaned_on: date
    due_on: date


def due_date(loaned_on: date, kind: str) -> date:
    """Date de retour selon le type ; ValueError pour un type inconnu."""
    if kind not in LOAN_DAYS:
        raise ValueError(f"type inconnu : {kind}")
    return loaned_on + timedelta(days=LOAN_DAYS[kind])
