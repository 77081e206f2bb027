"""Fixtures des tests visibles.

Lancer depuis la racine de votre dépôt : `python -m pytest tests`
(ou `cda check`, qui lance aussi les contrats de couches et bandit).
"""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def client():
    """Client HTTP sur `create_app()` : les données de démonstration de l'énoncé."""
    mediatheque = importlib.import_module("mediatheque")
    return mediatheque.create_app().test_client()
