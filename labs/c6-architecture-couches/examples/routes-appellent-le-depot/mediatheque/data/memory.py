"""Implémentation en mémoire des dépôts (tests, démonstration)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from itertools import count

from mediatheque.data.interfaces import (
    ItemRepository,
    LoanRepository,
    MemberRepository,
    Repositories,
    ReservationRepository,
)
from mediatheque.domain import Item, Loan, Member, Reservation


class InMemoryMemberRepository(MemberRepository):
    def __init__(self) -> None:
        self._members: dict[int, Member] = {}

    def get(self, member_id: int) -> Member | None:
        return self._members.get(member_id)

    def add(self, member: Member) -> None:
        self._members[member.id] = member


class InMemoryItemRepository(ItemRepository):
    def __init__(self) -> None:
        self._items: dict[int, Item] = {}

    def get(self, item_id: int) -> Item | None:
        return self._items.get(item_id)

    def add(self, item: Item) -> None:
        self._items[item.id] = item

    def list(self, offset: int, limit: int) -> list[Item]:
        ordered = sorted(self._items.values(), key=lambda item: item.id)
        return ordered[offset : offset + limit]

    def count(self) -> int:
        return len(self._items)


class InMemoryLoanRepository(LoanRepository):
    def __init__(self) -> None:
        self._loans: dict[int, Loan] = {}
        self._ids = count(1)

    def add(self, member_id: int, item_id: int, start: date, due: date) -> Loan:
        loan = Loan(id=next(self._ids), member_id=member_id, item_id=item_id, start=start, due=due)
        self._loans[loan.id] = loan
        return loan

    def find_active_by_item(self, item_id: int) -> Loan | None:
        return next(
            (loan for loan in self._loans.values() if loan.active and loan.item_id == item_id),
            None,
        )

    def find_active_by_items(self, item_ids: Iterable[int]) -> list[Loan]:
        wanted = set(item_ids)
        return [loan for loan in self._loans.values() if loan.active and loan.item_id in wanted]

    def find_active_by_member(self, member_id: int) -> list[Loan]:
        return [
            loan for loan in self._loans.values() if loan.active and loan.member_id == member_id
        ]

    def mark_returned(self, loan_id: int, returned_on: date) -> Loan:
        loan = replace(self._loans[loan_id], returned_on=returned_on)
        self._loans[loan_id] = loan
        return loan


class InMemoryReservationRepository(ReservationRepository):
    def __init__(self) -> None:
        self._reservations: dict[int, Reservation] = {}
        self._ids = count(1)

    def add(self, member_id: int, item_id: int) -> Reservation:
        reservation = Reservation(id=next(self._ids), member_id=member_id, item_id=item_id)
        self._reservations[reservation.id] = reservation
        return reservation

    def find_by_item(self, item_id: int) -> Reservation | None:
        """Les réservations sont gardées dans l'ordre des demandes : la première est la plus ancienne."""
        return next((r for r in self._reservations.values() if r.item_id == item_id), None)

    def find(self, member_id: int, item_id: int) -> Reservation | None:
        return next((r for r in self._reservations.values()
                     if r.item_id == item_id and r.member_id == member_id), None)

    def remove(self, reservation_id: int) -> None:
        self._reservations.pop(reservation_id, None)


def in_memory_repositories() -> Repositories:
    """Quatre dépôts en mémoire, vides."""
    return Repositories(
        members=InMemoryMemberRepository(),
        items=InMemoryItemRepository(),
        loans=InMemoryLoanRepository(),
        reservations=InMemoryReservationRepository(),
    )
