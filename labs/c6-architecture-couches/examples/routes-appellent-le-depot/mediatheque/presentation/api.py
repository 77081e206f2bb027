"""Routes JSON de l'API /api."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import BadRequest

from mediatheque.data import Repositories
from mediatheque.domain import ItemNotFound, ItemNotLent, Loan, MemberNotFound, Reservation
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


def _reservation_json(reservation: Reservation) -> dict[str, Any]:
    return {
        "id": reservation.id,
        "member_id": reservation.member_id,
        "item_id": reservation.item_id,
    }


def create_api_blueprint(
    catalogue: CatalogueService, loans: LoanService, repositories: Repositories
) -> Blueprint:
    """Construit le blueprint /api (les lectures vont directement aux dépôts : plus simple !)."""
    api = Blueprint("api", __name__, url_prefix="/api")

    @api.get("/items")
    def list_items() -> Any:
        page = _query_int("page", default=1, maximum=10**9)
        per_page = _query_int("per_page", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        items = repositories.items.list(offset=(page - 1) * per_page, limit=per_page)
        lent = {loan.item_id for loan in repositories.loans.find_active_by_items(i.id for i in items)}
        return {
            "items": [
                _item_json(CatalogueEntry(item=item, available=item.id not in lent))
                for item in items
            ],
            "page": page,
            "per_page": per_page,
            "total": repositories.items.count(),
        }

    @api.get("/items/<int:item_id>")
    def get_item(item_id: int) -> Any:
        item = repositories.items.get(item_id)
        if item is None:
            raise ItemNotFound()
        available = repositories.loans.find_active_by_item(item_id) is None
        return _item_json(CatalogueEntry(item=item, available=available))

    @api.post("/loans")
    def lend() -> Any:
        body = _json_body()
        loan = loans.lend(_json_id(body, "member_id"), _json_id(body, "item_id"))
        return _loan_json(loan, loans.is_late(loan)), 201

    @api.post("/returns")
    def return_item() -> Any:
        body = _json_body()
        item_id = _json_id(body, "item_id")
        if repositories.items.get(item_id) is None:
            raise ItemNotFound()
        loan = repositories.loans.find_active_by_item(item_id)
        if loan is None:
            raise ItemNotLent()
        loan = repositories.loans.mark_returned(loan.id, date.today())
        return _loan_json(loan, False), 200

    @api.get("/members/<int:member_id>/loans")
    def member_loans(member_id: int) -> Any:
        if repositories.members.get(member_id) is None:
            raise MemberNotFound()
        active = sorted(
            repositories.loans.find_active_by_member(member_id), key=lambda loan: (loan.due, loan.id)
        )
        today = date.today()
        return {
            "member_id": member_id,
            "loans": [_loan_json(loan, loan.is_late(today)) for loan in active],
        }

    @api.post("/reservations")
    def reserve() -> Any:
        body = _json_body()
        reservation = loans.reserve(_json_id(body, "member_id"), _json_id(body, "item_id"))
        return _reservation_json(reservation), 201

    return api
