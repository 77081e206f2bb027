"""Présentation : lit et valide la forme de la requête, appelle un service, traduit le résultat en HTTP."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from mediatheque.domain import DomainError
from mediatheque.services import LoanService


def loans_blueprint(service: LoanService) -> Blueprint:
    api = Blueprint("loans", __name__)

    @api.post("/api/loans")
    def lend():
        body = request.get_json(silent=True) or {}
        member_id, item_id, kind = body.get("member_id"), body.get("item_id"), body.get("kind")
        if type(member_id) is not int or type(item_id) is not int or not isinstance(kind, str):
            return jsonify(error="member_id et item_id entiers, kind texte"), 400
        try:
            loan = service.lend(member_id, item_id, kind)
        except DomainError as refusal:
            return jsonify(error=str(refusal)), 409
        except ValueError as wrong:
            return jsonify(error=str(wrong)), 400
        return jsonify(due_on=loan.due_on.isoformat()), 201

    return api
