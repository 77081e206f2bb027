"""Interfaces (abstraites) des dépôts. Les services ne connaissent que ces interfaces."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from mediatheque.domain import Item, Loan, Member, Reservation


class MemberRepository(ABC):
    @abstractmethod
    def get(self, member_id: int) -> Member | None: ...

    @abstractmethod
    def add(self, member: Member) -> None: ...


class ItemRepository(ABC):
    @abstractmethod
    def get(self, item_id: int) -> Item | None: ...

    @abstractmethod
    def add(self, item: Item) -> None: ...

    @abstractmethod
    def list(self, offset: int, limit: int) -> list[Item]:
        """Une page de documents, triés par identifiant croissant."""

    @abstractmethod
    def count(self) -> int: ...


class LoanRepository(ABC):
    @abstractmethod
    def add(self, member_id: int, item_id: int, start: date, due: date) -> Loan: ...

    @abstractmethod
    def find_active_by_item(self, item_id: int) -> Loan | None: ...

    @abstractmethod
    def find_active_by_items(self, item_ids: Iterable[int]) -> list[Loan]:
        """Prêts en cours d'un ensemble de documents (une seule requête, pas de N+1)."""

    @abstractmethod
    def find_active_by_member(self, member_id: int) -> list[Loan]: ...

    @abstractmethod
    def mark_returned(self, loan_id: int, returned_on: date) -> Loan: ...


class ReservationRepository(ABC):
    @abstractmethod
    def add(self, member_id: int, item_id: int) -> Reservation: ...

    @abstractmethod
    def find_by_item(self, item_id: int) -> Reservation | None:
        """La première réservation de la file du document (la plus ancienne)."""

    @abstractmethod
    def find(self, member_id: int, item_id: int) -> Reservation | None:
        """La réservation de cet adhérent sur ce document, s'il en a une."""

    @abstractmethod
    def remove(self, reservation_id: int) -> None: ...


@dataclass
class Repositories:
    """Les quatre dépôts dont ont besoin les services (injectés par `create_app`)."""

    members: MemberRepository
    items: ItemRepository
    loans: LoanRepository
    reservations: ReservationRepository
