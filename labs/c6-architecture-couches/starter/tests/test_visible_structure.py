"""Tests visibles de structure : les couches demandées existent et exposent l'API de l'énoncé."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest

COUCHES = ["domain", "data", "services", "presentation"]


@pytest.mark.parametrize("couche", COUCHES)
def test_la_couche_existe(couche):
    try:
        importlib.import_module(f"mediatheque.{couche}")
    except ImportError as exc:
        pytest.fail(f"La couche « mediatheque.{couche} » est introuvable ({exc}). Créez ce paquet.")


def test_depots_en_memoire():
    try:
        data = importlib.import_module("mediatheque.data")
        domain = importlib.import_module("mediatheque.domain")
    except ImportError as exc:
        pytest.fail(f"Couche manquante : {exc}")
    assert hasattr(data, "in_memory_repositories"), "mediatheque.data doit exposer in_memory_repositories()."
    repos = data.in_memory_repositories()
    repos.members.add(domain.Member(id=1, card_number="M000001", last_name="Fictif", first_name="Adhérent",
                                    email="adherent1@example.org"))
    repos.items.add(domain.Item(id=1, document_id=1, barcode="C000001", title="Titre fictif", kind="livre"))
    client = importlib.import_module("mediatheque").create_app(repos).test_client()
    body = client.get("/api/items").get_json()
    assert body["total"] == 1, "create_app(repositories) doit utiliser les dépôts qu'on lui passe."


def test_service_de_pret_avec_horloge():
    try:
        data = importlib.import_module("mediatheque.data")
        domain = importlib.import_module("mediatheque.domain")
        services = importlib.import_module("mediatheque.services")
    except ImportError as exc:
        pytest.fail(f"Couche manquante : {exc}")
    repos = data.in_memory_repositories()
    repos.members.add(domain.Member(id=1, card_number="M000001", last_name="Fictif", first_name="Adhérent",
                                    email="adherent1@example.org"))
    for item_id in (1, 2):
        repos.items.add(domain.Item(id=item_id, document_id=item_id, barcode=f"C{item_id:06d}",
                                    title=f"Titre fictif {item_id}", kind="livre"))
    jour = {"date": date(2030, 1, 1)}
    service = services.LoanService(repos, today=lambda: jour["date"])
    pret = service.lend(1, 1)
    assert pret.due == date(2030, 1, 22), "LoanService.lend doit fixer due = aujourd'hui + 21 jours pour un livre."
    jour["date"] += timedelta(days=30)
    try:
        service.lend(1, 2)
    except domain.LateLoanPending:
        return
    pytest.fail("Avec un prêt en retard, LoanService.lend doit lever domain.LateLoanPending.")
