"""Accès aux données : ici un dépôt en mémoire ; le dépôt PostgreSQL a la même interface."""

from __future__ import annotations

from mediatheque.domain import Loan


class InMemoryLoanRepository:
    def __init__(self) -> None:
        self._loans: list[Loan] = []

    def active_for_member(self, member_id: int) -> list[Loan]:
        return [loan for loan in self._loans if loan.member_id == member_id]

    def is_lent(self, item_id: int) -> bool:
        return any(loan.item_id == item_id for loan in self._loans)

    def add(self, loan: Loan) -> Loan:
        self._loans.append(loan)
        return loan
