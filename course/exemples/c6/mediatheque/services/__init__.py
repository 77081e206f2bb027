"""Services : un cas d'utilisation par méthode ; ils appliquent les règles du domaine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from mediatheque.domain import MAX_ACTIVE_LOANS, ItemAlreadyLent, Loan, QuotaReached, due_date


class LoanService:
    def __init__(self, loans, today: Callable[[], date]) -> None:
        self._loans = loans  # tout objet qui a active_for_member, is_lent et add
        self._today = today

    def lend(self, member_id: int, item_id: int, kind: str) -> Loan:
        if self._loans.is_lent(item_id):
            raise ItemAlreadyLent()
        if len(self._loans.active_for_member(member_id)) >= MAX_ACTIVE_LOANS:
            raise QuotaReached()
        today = self._today()
        return self._loans.add(Loan(member_id, item_id, today, due_date(today, kind)))
