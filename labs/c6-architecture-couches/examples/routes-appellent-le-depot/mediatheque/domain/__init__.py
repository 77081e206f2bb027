"""Couche domaine : entités et exceptions métier.

Le domaine n'importe rien des autres couches ni d'aucun framework
(ni Flask, ni Werkzeug, ni psycopg) : il ne dépend que de la bibliothèque standard.
"""

from mediatheque.domain.entities import Item, Loan, Member, Reservation
from mediatheque.domain.errors import (
    DomainError,
    ItemAlreadyLent,
    ItemAlreadyReserved,
    ItemNotFound,
    ItemNotLent,
    ItemReservedByAnotherMember,
    LateLoanPending,
    LoanLimitReached,
    MemberNotFound,
    NotFound,
    RuleViolation,
)

__all__ = [
    "DomainError",
    "Item",
    "ItemAlreadyLent",
    "ItemAlreadyReserved",
    "ItemNotFound",
    "ItemNotLent",
    "ItemReservedByAnotherMember",
    "LateLoanPending",
    "Loan",
    "LoanLimitReached",
    "Member",
    "MemberNotFound",
    "NotFound",
    "Reservation",
    "RuleViolation",
]
