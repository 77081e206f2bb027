"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants)."""

from __future__ import annotations

import importlib
import re
from urllib.parse import urljoin

import pytest


@pytest.fixture
def client():
    return importlib.import_module("mediatheque").create_app().test_client()


def liens(html: str) -> list[str]:
    return re.findall(r'<a\s[^>]*href="([^"]+)"', html)


def pages_du_catalogue(client, limite: int = 40) -> list[tuple[str, str]]:
    """Suit les liens « page suivante » depuis / ; renvoie [(url, html)]."""
    vues, url = [], "/"
    while url and len(vues) < limite:
        html = client.get(url).get_data(as_text=True)
        vues.append((url, html))
        suivante = re.search(r'<a\s[^>]*href="([^"]+)"[^>]*>\s*Page suivante', html) or \
            re.search(r'<a\s[^>]*rel="next"[^>]*href="([^"]+)"', html) or re.search(r'<a\s[^>]*href="([^"]+)"[^>]*rel="next"', html)
        url = urljoin(url, suivante.group(1).replace("&amp;", "&")) if suivante else None
    return vues


@pytest.fixture
def catalogue(client):
    return pages_du_catalogue(client)
