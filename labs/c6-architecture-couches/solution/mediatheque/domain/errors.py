"""Exceptions métier. Elles ne connaissent pas HTTP : c'est la présentation qui les traduit."""

from __future__ import annotations


class DomainError(Exception):
    """Racine des erreurs métier."""

    code = "domain_error"
    default_message = "Erreur métier."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self)


class NotFound(DomainError):
    """Une ressource demandée n'existe pas."""

    code = "not_found"
    default_message = "Ressource introuvable."


class MemberNotFound(NotFound):
    code = "member_not_found"
    default_message = "Adhérent inconnu."


class ItemNotFound(NotFound):
    code = "item_not_found"
    default_message = "Document inconnu."


class RuleViolation(DomainError):
    """Une règle de gestion refuse l'opération."""

    code = "rule_violation"
    default_message = "Opération refusée par les règles de prêt."


class LoanLimitReached(RuleViolation):
    code = "loan_limit_reached"
    default_message = "Nombre maximal de prêts simultanés atteint."


class LateLoanPending(RuleViolation):
    code = "late_loan_pending"
    default_message = "Un prêt en retard doit d'abord être rendu."


class ItemAlreadyLent(RuleViolation):
    code = "item_already_lent"
    default_message = "Ce document est déjà prêté."


class ItemReservedByAnotherMember(RuleViolation):
    code = "item_reserved"
    default_message = "Ce document est réservé par un autre adhérent."


class ItemNotLent(RuleViolation):
    code = "item_not_lent"
    default_message = "Ce document n'est pas en prêt."


class ItemAlreadyReserved(RuleViolation):
    code = "item_already_reserved"
    default_message = "Vous avez déjà réservé ce document."
