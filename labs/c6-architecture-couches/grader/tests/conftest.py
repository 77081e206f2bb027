"""Fixtures des tests cachés (copie de confiance, jamais fournie aux apprenants).

Les modules de la soumission sont importés à l'intérieur des fixtures et des tests,
jamais au niveau module : une couche absente fait échouer les tests qui en dépendent,
pas la collecte de tout le fichier.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, timedelta
from types import ModuleType
from typing import Any

import pytest

TODAY = date(2031, 3, 11)  # un mardi (jour d'ouverture) ; date fixe pour les tests de services (horloge injectée)


def load(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.fixture
def domain() -> ModuleType:
    return load("mediatheque.domain")


@pytest.fixture
def services() -> ModuleType:
    return load("mediatheque.services")


@pytest.fixture
def data() -> ModuleType:
    return load("mediatheque.data")


class Clock:
    """Horloge réglable passée aux services sous la forme `today=clock`."""

    def __init__(self, today: date) -> None:
        self.value = today

    def __call__(self) -> date:
        return self.value

    def advance(self, days: int) -> None:
        self.value += timedelta(days=days)


@pytest.fixture
def day0() -> date:
    """Date de départ de l'horloge `clock`."""
    return TODAY


@pytest.fixture
def clock() -> Clock:
    return Clock(TODAY)


def item(domain: ModuleType, item_id: int, kind: str) -> Any:
    """L'exemplaire `item_id`, seul exemplaire du document de même numéro."""
    return domain.Item(id=item_id, document_id=item_id, barcode=f"C{item_id:06d}", title=f"Titre fictif {item_id}",
                       kind=kind)


def fill(repos: Any, domain: ModuleType, members: int = 4, items: int = 12) -> Any:
    for member_id in range(1, members + 1):
        repos.members.add(domain.Member(id=member_id, card_number=f"M{member_id:06d}", last_name="Fictif",
                                        first_name=f"Adhérent {member_id}", email=f"adherent{member_id}@example.org"))
    for item_id in range(1, items + 1):
        repos.items.add(item(domain, item_id, "livre"))
    return repos


@pytest.fixture
def repos(data: ModuleType, domain: ModuleType) -> Any:
    """Dépôts en mémoire : adhérents 1..4, documents 1..12, aucun prêt ni réservation."""
    return fill(data.in_memory_repositories(), domain)


@pytest.fixture
def loan_service(services: ModuleType, repos: Any, clock: Clock) -> Any:
    return services.LoanService(repos, today=clock)


@pytest.fixture
def make_client() -> Callable[[Any], Any]:
    def build(repositories: Any = None) -> Any:
        mediatheque = load("mediatheque")
        app = mediatheque.create_app(repositories) if repositories is not None else mediatheque.create_app()
        return app.test_client()

    return build


@pytest.fixture
def client(make_client: Callable[[Any], Any], repos: Any) -> Any:
    """Client HTTP sur une application câblée sur `repos` (horloge réelle)."""
    return make_client(repos)


@pytest.fixture
def past_service(services: ModuleType, repos: Any) -> Callable[[int], Any]:
    """Fabrique un LoanService sur `repos` dont l'horloge est `days_ago` jours dans le passé réel."""

    def build(days_ago: int) -> Any:
        moment = date.today() - timedelta(days=days_ago)
        return services.LoanService(repos, today=lambda: moment)

    return build
