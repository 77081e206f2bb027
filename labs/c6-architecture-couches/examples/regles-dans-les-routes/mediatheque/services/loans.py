"""Cas d'utilisation des prêts, retours et réservations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from mediatheque.data import Repositories
from mediatheque.domain import (
    Item,
    ItemAlreadyReserved,
    ItemNotFound,
    ItemNotLent,
    Loan,
    Member,
    MemberNotFound,
    Reservation,
)

MAX_LOANS = 5
"""Nombre maximal de prêts simultanés par adhérent (adulte)."""

LOAN_DAYS = {"livre": 21, "bd": 14, "cd": 14, "dvd": 7, "revue": 7}
"""Durée d'un prêt, en jours, selon le type du document."""


class LoanService:
    """Règles de prêt. `today` (horloge injectable) rend les règles de date testables."""

    def __init__(self, repositories: Repositories, today: Callable[[], date] | None = None) -> None:
        self._repos = repositories
        self._today = today or date.today

    def today(self) -> date:
        return self._today()

    def is_late(self, loan: Loan) -> bool:
        return loan.is_late(self._today())

    def lend(self, member_id: int, item_id: int) -> Loan:
        """Enregistre le prêt (les vérifications sont faites par la route)."""
        self._member(member_id)
        item = self._item(item_id)
        today = self._today()
        loan = self._repos.loans.add(
            member_id=member_id,
            item_id=item_id,
            start=today,
            due=today + timedelta(days=LOAN_DAYS[item.kind]),
        )
        reservation = self._repos.reservations.find_by_item(item_id)
        if reservation is not None and reservation.member_id == member_id:
            self._repos.reservations.remove(reservation.id)
        return loan

    def reservation_for(self, item_id: int) -> Reservation | None:
        return self._repos.reservations.find_by_item(item_id)

    def is_lent(self, item_id: int) -> bool:
        return self._repos.loans.find_active_by_item(item_id) is not None

    def return_item(self, item_id: int) -> Loan:
        """Enregistre le retour du document ; renvoie le prêt clos."""
        self._item(item_id)
        loan = self._repos.loans.find_active_by_item(item_id)
        if loan is None:
            raise ItemNotLent()
        return self._repos.loans.mark_returned(loan.id, self._today())

    def active_loans(self, member_id: int) -> list[Loan]:
        """Prêts en cours de l'adhérent, par date de retour prévue puis identifiant."""
        self._member(member_id)
        loans = self._repos.loans.find_active_by_member(member_id)
        return sorted(loans, key=lambda loan: (loan.due, loan.id))

    def reserve(self, member_id: int, item_id: int) -> Reservation:
        """Réserve un document : file d'attente, une réservation au plus par adhérent et par document."""
        self._member(member_id)
        self._item(item_id)
        if self._repos.reservations.find(member_id, item_id) is not None:
            raise ItemAlreadyReserved()
        return self._repos.reservations.add(member_id=member_id, item_id=item_id)

    def _member(self, member_id: int) -> Member:
        member = self._repos.members.get(member_id)
        if member is None:
            raise MemberNotFound()
        return member

    def _item(self, item_id: int) -> Item:
        item = self._repos.items.get(item_id)
        if item is None:
            raise ItemNotFound()
        return item
