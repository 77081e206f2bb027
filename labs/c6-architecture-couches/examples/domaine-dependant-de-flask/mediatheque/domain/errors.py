"""Exceptions métier... qui sont aussi des réponses HTTP (pratique, non ?)."""

from __future__ import annotations

from werkzeug.exceptions import HTTPException


class DomainError(HTTPException):
    """Racine des erreurs métier (et réponse HTTP 409 par défaut)."""

    code = 409
    description = "Erreur métier."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(description=message or type(self).description)


class NotFound(DomainError):
    code = 404
    description = "Ressource introuvable."


class MemberNotFound(NotFound):
    description = "Adhérent inconnu."


class ItemNotFound(NotFound):
    description = "Document inconnu."


class RuleViolation(DomainError):
    code = 409
    description = "Opération refusée par les règles de prêt."


class LoanLimitReached(RuleViolation):
    description = "Nombre maximal de prêts simultanés atteint."


class LateLoanPending(RuleViolation):
    description = "Un prêt en retard doit d'abord être rendu."


class ItemAlreadyLent(RuleViolation):
    description = "Ce document est déjà prêté."


class ItemReservedByAnotherMember(RuleViolation):
    description = "Ce document est réservé par un autre adhérent."


class ItemNotLent(RuleViolation):
    description = "Ce document n'est pas en prêt."


class ItemAlreadyReserved(RuleViolation):
    description = "Vous avez déjà réservé ce document."
