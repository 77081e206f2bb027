"""Objets métier des prêts de la médiathèque : qui agit, qui emprunte, ce qui est prêté.

Les règles sont celles de course/mediatheque/REGLES.md (durées, quotas, ordre des refus).
Aucun import de Flask ni de base de données : ce module se teste seul.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

LOAN_DAYS = {"livre": 21, "bd": 14, "cd": 14, "dvd": 7, "revue": 7}
ADULT_QUOTA, MINOR_QUOTA, ADULT_AGE = 5, 3, 18
CLOSED_WEEKDAYS = frozenset({6, 0})  # dimanche et lundi (date.weekday())


class MediathequeError(Exception):
    """Racine des erreurs métier : la couche web les traduit en pages d'erreur."""


class NotFoundError(MediathequeError):
    """Ressource absente, ou que l'utilisateur n'a pas le droit de connaître (HTTP 404)."""


class AccessDeniedError(MediathequeError):
    """L'utilisateur est connu mais n'a pas le droit de faire cette action (HTTP 403)."""


class LoanRefusedError(MediathequeError):
    """Le prêt contredit une règle ; `reason` est le motif montré à l'adhérent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Role(str, Enum):
    """Rôles de l'application, du moins au plus privilégié."""

    MEMBER = "adherent"
    LIBRARIAN = "bibliothecaire"
    ADMIN = "administrateur"


@dataclass(frozen=True)
class Actor:
    """La personne connectée qui demande l'action : son numéro d'adhérent et son rôle."""

    member_id: int
    role: Role

    @property
    def is_staff(self) -> bool:
        """Bibliothécaires et administrateurs forment le personnel."""
        return self.role in (Role.LIBRARIAN, Role.ADMIN)

    def can_see_member(self, member_id: int) -> bool:
        """Règle de propriété : ses propres données, ou celles de tous pour le personnel."""
        return self.is_staff or self.member_id == member_id


@dataclass(frozen=True)
class Loan:
    """Un prêt d'exemplaire ; `returned_on` vaut None tant qu'il est en cours."""

    member_id: int
    barcode: str
    loaned_on: date
    due_on: date
    returned_on: date | None = None

    def is_late(self, today: date) -> bool:
        """En retard : pas encore rendu et la date de retour est passée."""
        return self.returned_on is None and self.due_on < today


@dataclass(frozen=True)
class Member:
    """Un adhérent, réduit à ce que les règles de prêt demandent (minimisation des données)."""

    member_id: int
    subscription_ends_on: date
    birth_year: int | None = None  # facultative ; jamais la date complète

    def quota(self, today: date) -> int:
        """5 prêts simultanés, 3 pour un mineur (moins de 18 ans dans l'année civile)."""
        minor = self.birth_year is not None and today.year - self.birth_year < ADULT_AGE
        return MINOR_QUOTA if minor else ADULT_QUOTA

    def refusal_reason(self, current: list[Loan], today: date) -> str | None:
        """Le premier motif de refus, dans l'ordre de REGLES.md, ou None si l'emprunt est permis."""
        if self.subscription_ends_on < today:
            return "abonnement expiré"
        if any(loan.is_late(today) for loan in current):
            return "retard"
        if len(current) >= self.quota(today):
            return "quota atteint"
        return None


def return_date(loaned_on: date, kind: str) -> date:
    """Date de retour : durée selon le type, reportée au mardi si elle tombe un jour de fermeture."""
    due = loaned_on + timedelta(days=LOAN_DAYS[kind])
    while due.weekday() in CLOSED_WEEKDAYS:
        due += timedelta(days=1)
    return due
