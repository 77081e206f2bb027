"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants)."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def module():
    return importlib.import_module("mediatheque")


@pytest.fixture
def app(module):
    application = module.create_app()
    application.config["TESTING"] = False  # erreurs traitées comme en production
    application.config["PROPAGATE_EXCEPTIONS"] = False
    return application


@pytest.fixture
def client(app):
    return app.test_client()
