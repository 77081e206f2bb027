"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants).

Les pages sont lues avec html.parser (bibliothèque standard) : pas de dépendance en plus.
"""

from __future__ import annotations

import importlib
import os
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pytest
import redis

# Le correcteur fournit DATABASE_URL (base neuve clonée de starter/db/mediatheque.sql : schéma de la
# médiathèque de référence et son catalogue) et REDIS_URL ; chaque test repart de donnees.sql.
DONNEES = (Path(__file__).parent / "donnees.sql").read_text(encoding="utf-8")
VALIDE = {"nom": "Dupont", "prenom": "Dominique", "courriel": "dominique.dupont@exemple.fr", "telephone": "03 83 00 00 00",
          "annee_naissance": "1990", "formule": "liberte", "reglement": "oui"}


class Element:
    def __init__(self, tag: str, attrs: dict, parent: "Element | None"):
        self.tag, self.attrs, self.parent, self.children, self.text_parts = tag, attrs, parent, [], []

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def text(self) -> str:
        parts = list(self.text_parts)
        for child in self.children:
            parts.append(child.text)
        return " ".join(" ".join(parts).split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def iter(self):
        for child in self.children:
            yield child
            yield from child.iter()


VOID = {"input", "img", "br", "hr", "meta", "link", "source", "area", "col", "embed", "wbr", "base", "track"}


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text_parts.append(data)

    def all(self, tag: str | None = None, **attrs):
        for element in self.root.iter():
            if (tag is None or element.tag == tag) and all(element.get(k) == v for k, v in attrs.items()):
                yield element

    def by_id(self, ident: str) -> Element | None:
        return next((e for e in self.root.iter() if e.get("id") == ident), None)

    def label_for(self, field: Element) -> Element | None:
        ident = field.get("id")
        if ident:
            label = next((l for l in self.all("label") if l.get("for") == ident), None)
            if label is not None:
                return label
        return next((a for a in field.ancestors() if a.tag == "label"), None)


@pytest.fixture(autouse=True)
def services():
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            pytest.fail(f"{name} n'est pas défini (services de test)")
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(DONNEES)
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.flushdb()
    client.close()


@pytest.fixture
def client(services):
    return importlib.import_module("mediatheque").create_app().test_client()


@pytest.fixture
def page():
    return Page


@pytest.fixture
def valide():
    return dict(VALIDE)
