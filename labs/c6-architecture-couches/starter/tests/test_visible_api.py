"""Tests visibles de l'API JSON, sur les données de démonstration de `create_app()`.

Données de démonstration : adhérents 1, 2, 3 ; documents 1 à 8 ; aucun prêt ;
le document 8 est réservé par l'adhérent 3.
"""

from __future__ import annotations

from datetime import date, timedelta


def emprunter(client, member_id, item_id):
    return client.post("/api/loans", json={"member_id": member_id, "item_id": item_id})


def statut(response, attendu, action):
    return (
        f"{action} : statut HTTP {response.status_code} reçu, {attendu} attendu. "
        f"Corps : {response.get_data(as_text=True)[:300]}"
    )


def test_catalogue_liste_les_documents(client):
    response = client.get("/api/items")
    assert response.status_code == 200, statut(response, 200, "GET /api/items")
    body = response.get_json()
    assert body["total"] == 8, "Le catalogue de démonstration doit compter 8 documents (clé « total »)."
    premier = body["items"][0]
    assert set(premier) == {"id", "title", "kind", "available"}, (
        f"Chaque document doit avoir exactement les clés id, title, kind, available ; reçu {sorted(premier)}."
    )


def test_catalogue_pagine(client):
    body = client.get("/api/items?per_page=3&page=3").get_json()
    assert [item["id"] for item in body["items"]] == [7, 8], (
        "GET /api/items?per_page=3&page=3 doit renvoyer la 3e page de 3 documents triés par id : [7, 8]."
    )
    assert (body["page"], body["per_page"], body["total"]) == (3, 3, 8), (
        "La réponse doit rappeler page, per_page et total."
    )
    response = client.get("/api/items?per_page=500")
    assert response.status_code == 400, statut(
        response, 400, "per_page=500 (au-delà du maximum de 50)"
    )


def test_pret_reussi(client):
    response = emprunter(client, 1, 1)
    assert response.status_code == 201, statut(response, 201, "Prêt du document 1 à l'adhérent 1")
    pret = response.get_json()
    duree = date.fromisoformat(pret["due"]) - date.fromisoformat(pret["start"])
    assert duree == timedelta(days=21), f"Un prêt dure 21 jours ; ici {duree.days} jours."
    items = {item["id"]: item for item in client.get("/api/items").get_json()["items"]}
    assert items[1]["available"] is False, "Un document prêté doit apparaître avec available = false."


def test_document_deja_prete(client):
    emprunter(client, 1, 1)
    response = emprunter(client, 2, 1)
    assert response.status_code == 409, statut(response, 409, "Prêt d'un document déjà prêté")


def test_limite_de_cinq_prets(client):
    for item_id in range(1, 6):
        response = emprunter(client, 1, item_id)
        assert response.status_code == 201, statut(response, 201, f"Prêt n°{item_id}")
    response = emprunter(client, 1, 6)
    assert response.status_code == 409, statut(response, 409, "6e prêt simultané")


def test_adherent_ou_document_inconnu(client):
    response = emprunter(client, 42, 1)
    assert response.status_code == 404, statut(response, 404, "Prêt à un adhérent inconnu")
    response = emprunter(client, 1, 42)
    assert response.status_code == 404, statut(response, 404, "Prêt d'un document inconnu")


def test_corps_invalide(client):
    response = client.post("/api/loans", json={"member_id": 1})
    assert response.status_code == 400, statut(response, 400, "Corps sans item_id")
    response = emprunter(client, 1, "abc")
    assert response.status_code == 400, statut(response, 400, "item_id non entier")


def test_retour(client):
    emprunter(client, 1, 1)
    response = client.post("/api/returns", json={"item_id": 1})
    assert response.status_code == 200, statut(response, 200, "Retour du document 1")
    assert response.get_json()["returned_on"] is not None, "Le prêt renvoyé doit avoir une date returned_on."
    response = client.post("/api/returns", json={"item_id": 1})
    assert response.status_code == 409, statut(response, 409, "Second retour du même document")


def test_prets_d_un_adherent(client):
    emprunter(client, 2, 3)
    response = client.get("/api/members/2/loans")
    assert response.status_code == 200, statut(response, 200, "GET /api/members/2/loans")
    prets = response.get_json()["loans"]
    assert [p["item_id"] for p in prets] == [3], "L'adhérent 2 a un seul prêt en cours : le document 3."
    response = client.get("/api/members/42/loans")
    assert response.status_code == 404, statut(response, 404, "Prêts d'un adhérent inconnu")


def test_document_reserve(client):
    response = emprunter(client, 1, 8)
    assert response.status_code == 409, statut(
        response, 409, "Prêt du document 8, réservé par l'adhérent 3, à l'adhérent 1"
    )
    response = emprunter(client, 3, 8)
    assert response.status_code == 201, statut(response, 201, "Prêt du document 8 à son réservataire")
