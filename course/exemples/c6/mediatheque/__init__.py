"""Racine de composition : le seul endroit qui connaît toutes les couches et les assemble."""

from __future__ import annotations

from datetime import date


def create_app(today: date | None = None):
    from flask import Flask

    from mediatheque.data import InMemoryLoanRepository
    from mediatheque.presentation import loans_blueprint
    from mediatheque.services import LoanService

    repository = InMemoryLoanRepository()
    service = LoanService(repository, today=lambda: today or date.today())
    app = Flask(__name__)
    app.register_blueprint(loans_blueprint(service))
    return app
