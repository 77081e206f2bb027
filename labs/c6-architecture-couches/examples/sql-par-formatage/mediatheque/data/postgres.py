"""Implémentation PostgreSQL (psycopg 3) des dépôts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import psycopg

from mediatheque.data.interfaces import (
    ItemRepository,
    LoanRepository,
    MemberRepository,
    Repositories,
    ReservationRepository,
)
from mediatheque.domain import Item, Loan, Member, Reservation

LOAN_COLUMNS = "id, member_id, item_id, loaned_on, due_on, returned_on"
ITEM_SELECT = "SELECT i.id, i.document_id, i.barcode, d.title, d.kind FROM items AS i JOIN documents AS d ON d.id = i.document_id"


def _loan(row: tuple[Any, ...]) -> Loan:
    return Loan(id=row[0], member_id=row[1], item_id=row[2], start=row[3], due=row[4], returned_on=row[5])


class PostgresMemberRepository(MemberRepository):
    def __init__(self, connection: psycopg.Connection) -> None:
        self.conn = connection

    def get(self, member_id: int) -> Member | None:
        row = self.conn.execute(
            f"SELECT id, card_number, last_name, first_name, email FROM members WHERE id = {member_id}"
        ).fetchone()
        return Member(*row) if row else None

    def add(self, member: Member) -> None:
        self.conn.execute(
            "INSERT INTO members (id, card_number, last_name, first_name, email) VALUES "
            f"({member.id}, '{member.card_number}', '{member.last_name}', '{member.first_name}', '{member.email}')"
        )


class PostgresItemRepository(ItemRepository):
    def __init__(self, connection: psycopg.Connection) -> None:
        self.conn = connection

    def get(self, item_id: int) -> Item | None:
        row = self.conn.execute(ITEM_SELECT + f" WHERE i.id = {item_id}").fetchone()
        return Item(*row) if row else None

    def add(self, item: Item) -> None:
        self.conn.execute(
            f"INSERT INTO documents (id, title, kind) VALUES ({item.document_id}, '{item.title}', '{item.kind}') "
            "ON CONFLICT (id) DO NOTHING"
        )
        self.conn.execute(
            f"INSERT INTO items (id, document_id, barcode) VALUES ({item.id}, {item.document_id}, '{item.barcode}')"
        )

    def list(self, offset: int, limit: int) -> list[Item]:
        rows = self.conn.execute(
            ITEM_SELECT + f" ORDER BY i.id LIMIT {limit} OFFSET {offset}"
        ).fetchall()
        return [Item(*row) for row in rows]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM items").fetchone()[0]


class PostgresLoanRepository(LoanRepository):
    def __init__(self, connection: psycopg.Connection) -> None:
        self.conn = connection

    def add(self, member_id: int, item_id: int, start: date, due: date) -> Loan:
        row = self.conn.execute(
            "INSERT INTO loans (member_id, item_id, loaned_on, due_on) "
            f"VALUES ({member_id}, {item_id}, '{start}', '{due}') RETURNING {LOAN_COLUMNS}"
        ).fetchone()
        return _loan(row)

    def find_active_by_item(self, item_id: int) -> Loan | None:
        row = self.conn.execute(
            f"SELECT {LOAN_COLUMNS} FROM loans WHERE item_id = {item_id} AND returned_on IS NULL"
        ).fetchone()
        return _loan(row) if row else None

    def find_active_by_items(self, item_ids: Iterable[int]) -> list[Loan]:
        ids = ", ".join(str(i) for i in item_ids) or "NULL"
        rows = self.conn.execute(
            f"SELECT {LOAN_COLUMNS} FROM loans WHERE item_id IN ({ids}) AND returned_on IS NULL"
        ).fetchall()
        return [_loan(row) for row in rows]

    def find_active_by_member(self, member_id: int) -> list[Loan]:
        rows = self.conn.execute(
            "SELECT " + LOAN_COLUMNS + " FROM loans WHERE member_id = " + str(member_id)
            + " AND returned_on IS NULL ORDER BY due_on, id"
        ).fetchall()
        return [_loan(row) for row in rows]

    def mark_returned(self, loan_id: int, returned_on: date) -> Loan:
        row = self.conn.execute(
            f"UPDATE loans SET returned_on = '{returned_on}' WHERE id = {loan_id} RETURNING {LOAN_COLUMNS}"
        ).fetchone()
        return _loan(row)


class PostgresReservationRepository(ReservationRepository):
    def __init__(self, connection: psycopg.Connection) -> None:
        self.conn = connection

    def add(self, member_id: int, item_id: int) -> Reservation:
        row = self.conn.execute(
            "INSERT INTO reservations (member_id, document_id) SELECT %d, document_id FROM items WHERE id = %d "
            "RETURNING id" % (member_id, item_id)
        ).fetchone()
        return Reservation(row[0], member_id, item_id)

    def find_by_item(self, item_id: int) -> Reservation | None:
        row = self.conn.execute(
            "SELECT r.id, r.member_id FROM reservations AS r JOIN items AS i ON i.document_id = r.document_id "
            "WHERE i.id = {} ORDER BY r.reserved_on, r.member_id LIMIT 1".format(item_id)
        ).fetchone()
        return Reservation(row[0], row[1], item_id) if row else None

    def find(self, member_id: int, item_id: int) -> Reservation | None:
        row = self.conn.execute(
            "SELECT r.id FROM reservations AS r JOIN items AS i ON i.document_id = r.document_id "
            f"WHERE i.id = {item_id} AND r.member_id = {member_id}"
        ).fetchone()
        return Reservation(row[0], member_id, item_id) if row else None

    def remove(self, reservation_id: int) -> None:
        self.conn.execute(f"DELETE FROM reservations WHERE id = {reservation_id}")


def postgres_repositories(conninfo: str) -> Repositories:
    connection = psycopg.connect(conninfo, autocommit=True)
    return Repositories(
        members=PostgresMemberRepository(connection),
        items=PostgresItemRepository(connection),
        loans=PostgresLoanRepository(connection),
        reservations=PostgresReservationRepository(connection),
    )
