"""Traduction des erreurs en réponses JSON : métier -> 404/409, HTTP -> son code, sinon 500 générique."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException

from mediatheque.domain import DomainError, NotFound, RuleViolation

_HTTP_MESSAGES = {
    400: "Requête invalide.",
    404: "Ressource introuvable.",
    405: "Méthode non autorisée.",
    413: "Corps de requête trop volumineux.",
    500: "Erreur interne.",
}


def _error(code: str, message: str, status: int) -> tuple[dict[str, Any], int]:
    return {"error": code, "message": message}, status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Any:
        return _error(exc.code, exc.message, 404)

    @app.errorhandler(RuleViolation)
    def conflict(exc: RuleViolation) -> Any:
        return _error(exc.code, exc.message, 409)

    @app.errorhandler(DomainError)
    def other_domain_error(exc: DomainError) -> Any:
        return _error(exc.code, exc.message, 409)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        # Pour 500 (exception non gérée), Flask a déjà journalisé le détail côté serveur ;
        # le client ne reçoit qu'un message générique (pas de trace, pas de message interne).
        status = exc.code or 500
        if status == 400 and exc.description:
            message = exc.description  # messages de validation : ils ne révèlent rien d'interne
        else:
            message = _HTTP_MESSAGES.get(status, exc.name)
        return _error(exc.name.lower().replace(" ", "_"), message, status)
