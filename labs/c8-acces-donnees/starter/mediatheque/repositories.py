"""Dépôts de la médiathèque — à écrire. Requêtes paramétrées uniquement (%s), jamais de SQL
construit par concaténation, formatage ou f-string (injection SQL, CWE-89)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mediatheque.database import Database

LOAN_DAYS = 21
MAX_ACTIVE_LOANS = 5


@dataclass(frozen=True)
class Member:
    id: int
    card_number: str
    last_name: str
    first_name: str
    email: str


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    kind: str
    year: int | None


@dataclass(frozen=True)
class Loan:
    id: int
    item_id: int
    member_id: int
    loaned_on: date
    due_on: date
    returned_on: date | None


class MemberRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, card_number: str, last_name: str, first_name: str, email: str) -> Member:
        raise NotImplementedError("MemberRepository.add")

    def get(self, member_id: int) -> Member:
        raise NotImplementedError("MemberRepository.get")

    def find_by_email(self, email: str) -> Member | None:
        raise NotImplementedError("MemberRepository.find_by_email")

    def search(self, name_fragment: str) -> list[Member]:
        raise NotImplementedError("MemberRepository.search")


class CatalogueRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, title_fragment: str, kind: str | None = None) -> list[Document]:
        raise NotImplementedError("CatalogueRepository.search")

    def available_items(self, document_id: int) -> list[int]:
        raise NotImplementedError("CatalogueRepository.available_items")


class LoanRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def lend(self, member_id: int, item_ids: list[int], today: date) -> list[Loan]:
        raise NotImplementedError("LoanRepository.lend")

    def return_item(self, item_id: int, today: date) -> Loan:
        raise NotImplementedError("LoanRepository.return_item")

    def current_loans(self, member_id: int) -> list[Loan]:
        raise NotImplementedError("LoanRepository.current_loans")
