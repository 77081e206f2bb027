"""Routes JSON de l'API /api."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import BadRequest

from mediatheque.domain import Loan
from mediatheque.services import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CatalogueEntry,
    CatalogueService,
    LoanService,
)

MAX_ID = 2**31 - 1  # borne d'un integer PostgreSQL : au-delà, 400 plutôt qu'une erreur SQL
_DIGITS = re.compile(r"[0-9]{1,9}")


def _query_int(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise BadRequest(f"Paramètre « {name} » invalide : entier entre 1 et {maximum} attendu.")
    return int(raw)


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Corps JSON (objet) attendu, avec Content-Type: application/json.")
    return body


def _json_id(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    # bool est un sous-type d'int en Python : on le refuse explicitement.
    if type(value) is not int or not 1 <= value <= MAX_ID:
        raise BadRequest(f"Champ « {name} » manquant ou invalide : entier positif attendu.")
    return value


def _item_json(entry: CatalogueEntry) -> dict[str, Any]:
    return {
        "id": entry.item.id,
        "title": entry.item.title,
        "kind": entry.item.kind,
        "available": entry.available,
    }


def _loan_json(loan: Loan, late: bool) -> dict[str, Any]:
    return {
        "id": loan.id,
        "member_id": loan.member_id,
        "item_id": loan.item_id,
        "start": loan.start.isoformat(),
        "due": loan.due.isoformat(),
        "returned_on": loan.returned_on.isoformat() if loan.returned_on else None,
        "late": late,
    }


def create_api_blueprint(catalogue: CatalogueService, loans: LoanService) -> Blueprint:
    """Construit le blueprint /api à partir des services (injection de dépendances)."""
    api = Blueprint("api", __name__, url_prefix="/api")

    @api.get("/items")
    def list_items() -> Any:
        page = _query_int("page", default=1, maximum=10**9)
        per_page = _query_int("per_page", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        result = catalogue.list_items(page=page, per_page=per_page)
        return {
            "items": [_item_json(entry) for entry in result.entries],
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }

    @api.get("/items/<int:item_id>")
    def get_item(item_id: int) -> Any:
        return _item_json(catalogue.get_item(item_id))

    @api.post("/loans")
    def lend() -> Any:
        body = _json_body()
        loan = loans.lend(_json_id(body, "member_id"), _json_id(body, "item_id"))
        return _loan_json(loan, loans.is_late(loan)), 201

    @api.post("/returns")
    def return_item() -> Any:
        body = _json_body()
        loan = loans.return_item(_json_id(body, "item_id"))
        return _loan_json(loan, loans.is_late(loan)), 200

    @api.get("/members/<int:member_id>/loans")
    def member_loans(member_id: int) -> Any:
        active = loans.active_loans(member_id)
        return {
            "member_id": member_id,
            "loans": [_loan_json(loan, loans.is_late(loan)) for loan in active],
        }

    @api.post("/reservations")
    def reserve() -> Any:
        body = _json_body()
        reservation = loans.reserve(_json_id(body, "member_id"), _json_id(body, "item_id"))
        return reservation.to_response(), 201

    return api
