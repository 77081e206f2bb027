"""Composition de l'application : c'est le seul endroit qui connaît toutes les couches."""

from __future__ import annotations

from flask import Flask

from mediatheque.data import Repositories, in_memory_repositories, seed_demo_data
from mediatheque.presentation import create_api_blueprint, register_error_handlers
from mediatheque.services import CatalogueService, LoanService

MAX_BODY_BYTES = 16 * 1024
"""Taille maximale d'un corps de requête (sécurité et sobriété) : au-delà, 413."""


def create_app(repositories: Repositories | None = None) -> Flask:
    """Fabrique l'application Flask.

    Sans argument : dépôts en mémoire garnis de données fictives de démonstration.
    Avec PostgreSQL : `create_app(postgres_repositories(conninfo))`
    (voir `mediatheque.data.postgres`).
    """
    if repositories is None:
        repositories = in_memory_repositories()
        seed_demo_data(repositories)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.compact = True  # réponses JSON compactes (sobriété)

    catalogue = CatalogueService(repositories)
    loans = LoanService(repositories)
    app.register_blueprint(create_api_blueprint(catalogue, loans))
    register_error_handlers(app)
    return app
