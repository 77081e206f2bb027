"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants).

Le correcteur fournit DATABASE_URL : une base neuve, clonée de starter/db/mediatheque.sql (schéma
de la médiathèque de référence et catalogue du lab) ; donnees.sql la remet dans cet état.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from urllib.parse import urljoin

import psycopg
import pytest

DONNEES = (Path(__file__).parent / "donnees.sql").read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def base():
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.fail("DATABASE_URL n'est pas défini (base PostgreSQL de test)")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DONNEES)
    return url


@pytest.fixture
def client(base):
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
