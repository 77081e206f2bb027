"""Prêts et réservations : droit d'emprunter, date de retour, file d'attente."""

from __future__ import annotations

from datetime import date

from mediatheque import rules
from mediatheque import validation as check
from mediatheque.errors import ConflictError
from mediatheque.repositories import Loan, LoanRepository, ReservationRepository


class LoanService:
    def __init__(self, loans: LoanRepository, reservations: ReservationRepository) -> None:
        self._loans = loans
        self._reservations = reservations

    def borrow(self, member_id: int, item_id: int, today: date) -> Loan:
        member_id = check.identifier(member_id, "adhérent")
        item_id = check.identifier(item_id, "exemplaire")
        today = check.day(today, "date du prêt")
        if today.weekday() in rules.CLOSED_WEEKDAYS:
            raise ConflictError("la médiathèque est fermée le dimanche et le lundi")

        def policy(member: tuple, current_due_dates: list[date], kind: str) -> date:
            birth_year, subscription_ends_on = member
            allowed, reason = rules.may_borrow(subscription_ends_on, current_due_dates, birth_year, today)
            if not allowed:
                raise ConflictError(f"prêt refusé : {reason}")
            return rules.due_date(today, kind)

        return self._loans.lend(member_id, item_id, today, policy)

    def reserve(self, member_id: int, document_id: int, today: date) -> None:
        self._reservations.reserve(check.identifier(member_id, "adhérent"),
                                   check.identifier(document_id, "document"), check.day(today))

    def next_in_queue(self, document_id: int) -> int | None:
        return rules.next_in_queue(self._reservations.queue(check.identifier(document_id, "document")))
