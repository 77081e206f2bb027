"""Comportement HTTP de l'API JSON (client de test Flask)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

LOAN_KEYS = {"id", "member_id", "item_id", "start", "due", "returned_on", "late"}
ITEM_KEYS = {"id", "title", "kind", "available"}


def assert_error(response, status):
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True))
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and "error" in body, response.get_data(as_text=True)


def lend(client, member_id, item_id):
    return client.post("/api/loans", json={"member_id": member_id, "item_id": item_id})


# --- Catalogue -------------------------------------------------------------


def test_donnees_de_demonstration(make_client):
    client = make_client(None)
    body = client.get("/api/items").get_json()
    assert body["total"] == 8
    assert [item["id"] for item in body["items"]] == list(range(1, 9))
    assert client.get("/api/members/3/loans").status_code == 200
    assert client.get("/api/members/4/loans").status_code == 404
    assert lend(client, 1, 8).status_code == 409  # réservé par l'adhérent 3
    assert lend(client, 3, 8).status_code == 201


def test_liste_pagination_par_defaut(client, repos, domain):
    for item_id in range(13, 26):
        repos.items.add(domain.Item(id=item_id, document_id=item_id, barcode=f"C{item_id:06d}",
                                    title=f"Titre fictif {item_id}", kind="dvd"))
    body = client.get("/api/items").get_json()
    assert body["total"] == 25
    assert body["page"] == 1 and body["per_page"] == 20
    assert [item["id"] for item in body["items"]] == list(range(1, 21))
    assert set(body["items"][0]) == ITEM_KEYS
    second = client.get("/api/items?page=2").get_json()
    assert [item["id"] for item in second["items"]] == list(range(21, 26))


def test_liste_page_au_dela_de_la_fin(client):
    response = client.get("/api/items?page=9&per_page=5")
    assert response.status_code == 200
    assert response.get_json()["items"] == []
    assert response.get_json()["total"] == 12


def test_liste_taille_maximale(client, repos, domain):
    for item_id in range(13, 71):
        repos.items.add(domain.Item(id=item_id, document_id=item_id, barcode=f"C{item_id:06d}",
                                    title=f"Titre fictif {item_id}", kind="cd"))
    body = client.get("/api/items?per_page=50").get_json()
    assert len(body["items"]) == 50
    assert body["per_page"] == 50


@pytest.mark.parametrize(
    "query",
    ["per_page=0", "per_page=51", "per_page=abc", "page=0", "page=-1", "page=x", "per_page=2.5"],
)
def test_liste_parametres_invalides(client, query):
    assert_error(client.get(f"/api/items?{query}"), 400)


def test_disponibilite(client):
    assert lend(client, 1, 2).status_code == 201
    items = {item["id"]: item for item in client.get("/api/items").get_json()["items"]}
    assert items[2]["available"] is False
    assert items[1]["available"] is True
    client.post("/api/returns", json={"item_id": 2})
    items = {item["id"]: item for item in client.get("/api/items").get_json()["items"]}
    assert items[2]["available"] is True


def test_detail_document(client):
    response = client.get("/api/items/3")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": 3,
        "title": "Titre fictif 3",
        "kind": "livre",
        "available": True,
    }
    assert_error(client.get("/api/items/999"), 404)


# --- Prêts -----------------------------------------------------------------


def test_pret_cree(client):
    response = lend(client, 1, 1)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == LOAN_KEYS
    start = date.fromisoformat(body["start"])
    assert date.fromisoformat(body["due"]) - start == timedelta(days=21)
    assert abs((start - date.today()).days) <= 1
    assert (body["member_id"], body["item_id"]) == (1, 1)
    assert body["returned_on"] is None and body["late"] is False


@pytest.mark.parametrize(
    ("member_id", "item_id"),
    [(99, 1), (1, 99)],
)
def test_pret_inconnus(client, member_id, item_id):
    assert_error(lend(client, member_id, item_id), 404)


def test_pret_limite(client):
    for item_id in range(1, 6):
        assert lend(client, 1, item_id).status_code == 201
    assert_error(lend(client, 1, 6), 409)


def test_pret_document_deja_prete(client):
    lend(client, 1, 1)
    assert_error(lend(client, 2, 1), 409)


def test_pret_document_reserve(client):
    assert client.post("/api/reservations", json={"member_id": 2, "item_id": 5}).status_code == 201
    assert_error(lend(client, 1, 5), 409)
    assert lend(client, 2, 5).status_code == 201


def test_pret_refuse_si_retard(client, past_service):
    past_service(40).lend(1, 1)  # échéance dépassée de 19 jours
    assert_error(lend(client, 1, 2), 409)


def test_prets_en_retard_signales(client, past_service):
    past_service(5).lend(1, 2)  # en cours, échéance dans 16 jours
    past_service(40).lend(1, 1)  # échéance dépassée de 19 jours
    body = client.get("/api/members/1/loans").get_json()
    late = {loan["item_id"]: loan["late"] for loan in body["loans"]}
    assert late == {1: True, 2: False}


@pytest.mark.parametrize(
    "payload",
    [
        {"member_id": 1},
        {"item_id": 1},
        {"member_id": "1", "item_id": 1},
        {"member_id": 1, "item_id": 1.0},
        {"member_id": True, "item_id": 1},
        {"member_id": 1, "item_id": None},
        {"member_id": -1, "item_id": 1},
        [1, 1],
        "texte",
    ],
)
def test_pret_corps_invalide(client, payload):
    assert_error(client.post("/api/loans", json=payload), 400)


def test_pret_json_malforme(client):
    response = client.post("/api/loans", data="{member_id: 1", content_type="application/json")
    assert_error(response, 400)


def test_pret_corps_non_json(client):
    response = client.post("/api/loans", data={"member_id": "1", "item_id": "1"})
    assert_error(response, (400, 415))


def test_corps_trop_volumineux(client):
    payload = '{"member_id": 1, "item_id": 1, "x": "' + "a" * 40_000 + '"}'
    response = client.post("/api/loans", data=payload, content_type="application/json")
    assert response.status_code == 413


# --- Retours ---------------------------------------------------------------


def test_retour(client):
    lend(client, 1, 1)
    response = client.post("/api/returns", json={"item_id": 1})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == LOAN_KEYS
    assert body["item_id"] == 1 and body["member_id"] == 1
    assert abs((date.fromisoformat(body["returned_on"]) - date.today()).days) <= 1
    assert client.get("/api/members/1/loans").get_json()["loans"] == []


def test_retour_erreurs(client):
    assert_error(client.post("/api/returns", json={"item_id": 1}), 409)
    assert_error(client.post("/api/returns", json={"item_id": 999}), 404)
    assert_error(client.post("/api/returns", json={"item_id": "1"}), 400)
    assert_error(client.post("/api/returns", json={}), 400)


# --- Prêts d'un adhérent -------------------------------------------------------


def test_prets_d_un_adherent(client):
    lend(client, 2, 3)
    lend(client, 2, 4)
    lend(client, 1, 5)
    response = client.get("/api/members/2/loans")
    assert response.status_code == 200
    body = response.get_json()
    assert body["member_id"] == 2
    assert sorted(loan["item_id"] for loan in body["loans"]) == [3, 4]
    assert all(set(loan) == LOAN_KEYS for loan in body["loans"])


def test_prets_adherent_inconnu(client):
    assert_error(client.get("/api/members/99/loans"), 404)


# --- Réservations ----------------------------------------------------------


def test_reservation(client):
    response = client.post("/api/reservations", json={"member_id": 2, "item_id": 7})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["member_id"], body["item_id"]) == (2, 7)
    assert isinstance(body["id"], int)
    assert client.post("/api/reservations", json={"member_id": 3, "item_id": 7}).status_code == 201  # file d'attente
    assert_error(client.post("/api/reservations", json={"member_id": 2, "item_id": 7}), 409)
    assert_error(client.post("/api/reservations", json={"member_id": 99, "item_id": 8}), 404)
    assert_error(client.post("/api/reservations", json={"member_id": 1}), 400)


# --- Sécurité ----------------------------------------------------------------


class _Broken:
    def __getattr__(self, name):
        raise RuntimeError("DETAIL-INTERNE-SECRET dsn=postgresql://app:motdepasse@db")


def test_erreur_interne_sans_fuite(repos, data, make_client):
    broken = data.Repositories(
        members=repos.members,
        items=_Broken(),
        loans=_Broken(),
        reservations=repos.reservations,
    )
    client = make_client(broken)
    response = client.get("/api/items")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "DETAIL-INTERNE-SECRET" not in text
    assert "motdepasse" not in text
    assert "Traceback" not in text


def test_pas_de_mode_debug(make_client):
    client = make_client(None)
    assert client.application.debug is False
