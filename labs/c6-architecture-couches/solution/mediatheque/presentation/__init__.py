"""Couche présentation : routes HTTP (JSON), validation des entrées, codes de statut.

Aucune règle métier ici, et aucun accès direct aux dépôts : on appelle les services.
"""

from mediatheque.presentation.api import create_api_blueprint
from mediatheque.presentation.errors import register_error_handlers

__all__ = ["create_api_blueprint", "register_error_handlers"]
