"""Traduction des erreurs en JSON : les erreurs métier sont déjà des exceptions HTTP."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        message = exc.description if status != 500 else "Erreur interne."
        return {"error": exc.name.lower().replace(" ", "_"), "message": message}, status
