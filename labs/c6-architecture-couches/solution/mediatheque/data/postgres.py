"""Implémentation PostgreSQL (psycopg 3) des dépôts.

- psycopg est importé paresseusement (dans `connect`), jamais au chargement du module :
  le reste de l'application fonctionne sans pilote PostgreSQL installé.
- Toutes les requêtes sont des chaînes constantes avec paramètres liés (`%s`) :
  aucune valeur n'est jamais insérée dans le SQL par formatage (injection SQL impossible).
- Ce module n'est pas importé par `mediatheque.data` ; le schéma est dans `schema.sql` (celui de la
  médiathèque de référence, migrations 0001 et 0002) : le dépôt traduit ses colonnes en entités du domaine.

Usage : `create_app(postgres_repositories("dbname=mediatheque user=app"))`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from mediatheque.data.interfaces import (
    ItemRepository,
    LoanRepository,
    MemberRepository,
    Repositories,
    ReservationRepository,
)
from mediatheque.domain import Item, Loan, Member, Reservation


def connect(conninfo: str) -> Any:
    """Ouvre une connexion psycopg 3 (import paresseux du pilote)."""
    import psycopg

    return psycopg.connect(conninfo, autocommit=True)


ITEM_SELECT = ("SELECT i.id, i.document_id, i.barcode, d.title, d.kind"
               " FROM items AS i JOIN documents AS d ON d.id = i.document_id")


def _loan(row: tuple[Any, ...]) -> Loan:
    """Une ligne de `loans` : `loaned_on` et `due_on` deviennent `start` et `due` du domaine."""
    return Loan(id=row[0], member_id=row[1], item_id=row[2], start=row[3], due=row[4], returned_on=row[5])


def _item(row: tuple[Any, ...]) -> Item:
    return Item(id=row[0], document_id=row[1], barcode=row[2], title=row[3], kind=row[4])


class _PostgresRepository:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def _fetchone(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone()

    def _fetchall(self, query: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    def _execute(self, query: str, params: tuple[Any, ...]) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute(query, params)


class PostgresMemberRepository(_PostgresRepository, MemberRepository):
    def get(self, member_id: int) -> Member | None:
        row = self._fetchone(
            "SELECT id, card_number, last_name, first_name, email FROM members"
            " WHERE id = %s AND erased_on IS NULL",
            (member_id,),
        )
        return Member(*row) if row else None

    def add(self, member: Member) -> None:
        self._execute(
            "INSERT INTO members (id, card_number, last_name, first_name, email) VALUES (%s, %s, %s, %s, %s)",
            (member.id, member.card_number, member.last_name, member.first_name, member.email),
        )


class PostgresItemRepository(_PostgresRepository, ItemRepository):
    """Un exemplaire (`items`) et sa notice (`documents` : titre, type)."""

    def get(self, item_id: int) -> Item | None:
        row = self._fetchone(ITEM_SELECT + " WHERE i.id = %s", (item_id,))
        return _item(row) if row else None

    def add(self, item: Item) -> None:
        """La notice (si elle n'existe pas encore) puis l'exemplaire, dans une transaction."""
        with self._connection.transaction():
            self._execute(
                "INSERT INTO documents (id, title, kind) VALUES (%s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (item.document_id, item.title, item.kind),
            )
            self._execute(
                "INSERT INTO items (id, document_id, barcode) VALUES (%s, %s, %s)",
                (item.id, item.document_id, item.barcode),
            )

    def list(self, offset: int, limit: int) -> list[Item]:
        rows = self._fetchall(ITEM_SELECT + " ORDER BY i.id LIMIT %s OFFSET %s", (limit, offset))
        return [_item(row) for row in rows]

    def count(self) -> int:
        row = self._fetchone("SELECT count(*) FROM items", ())
        return int(row[0]) if row else 0


class PostgresLoanRepository(_PostgresRepository, LoanRepository):
    def add(self, member_id: int, item_id: int, start: date, due: date) -> Loan:
        row = self._fetchone(
            "INSERT INTO loans (member_id, item_id, loaned_on, due_on) VALUES (%s, %s, %s, %s)"
            " RETURNING id, member_id, item_id, loaned_on, due_on, returned_on",
            (member_id, item_id, start, due),
        )
        if row is None:  # pragma: no cover - INSERT ... RETURNING renvoie toujours une ligne
            raise RuntimeError("INSERT sans ligne retournée")
        return _loan(row)

    def find_active_by_item(self, item_id: int) -> Loan | None:
        row = self._fetchone(
            "SELECT id, member_id, item_id, loaned_on, due_on, returned_on"
            " FROM loans WHERE item_id = %s AND returned_on IS NULL",
            (item_id,),
        )
        return _loan(row) if row else None

    def find_active_by_items(self, item_ids: Iterable[int]) -> list[Loan]:
        ids = list(item_ids)
        if not ids:
            return []
        rows = self._fetchall(
            "SELECT id, member_id, item_id, loaned_on, due_on, returned_on"
            " FROM loans WHERE item_id = ANY(%s) AND returned_on IS NULL",
            (ids,),
        )
        return [_loan(row) for row in rows]

    def find_active_by_member(self, member_id: int) -> list[Loan]:
        rows = self._fetchall(
            "SELECT id, member_id, item_id, loaned_on, due_on, returned_on"
            " FROM loans WHERE member_id = %s AND returned_on IS NULL ORDER BY due_on, id",
            (member_id,),
        )
        return [_loan(row) for row in rows]

    def mark_returned(self, loan_id: int, returned_on: date) -> Loan:
        row = self._fetchone(
            "UPDATE loans SET returned_on = %s WHERE id = %s"
            " RETURNING id, member_id, item_id, loaned_on, due_on, returned_on",
            (returned_on, loan_id),
        )
        if row is None:
            raise LookupError(f"prêt {loan_id} introuvable")
        return _loan(row)


class PostgresReservationRepository(_PostgresRepository, ReservationRepository):
    """La base réserve un document (`reservations.document_id`) ; le domaine, l'exemplaire demandé."""

    def add(self, member_id: int, item_id: int) -> Reservation:
        row = self._fetchone(
            "INSERT INTO reservations (member_id, document_id)"
            " SELECT %s, document_id FROM items WHERE id = %s RETURNING id",
            (member_id, item_id),
        )
        if row is None:
            raise LookupError(f"exemplaire {item_id} introuvable")
        return Reservation(id=row[0], member_id=member_id, item_id=item_id)

    def find_by_item(self, item_id: int) -> Reservation | None:
        """La plus ancienne réservation du document de cet exemplaire (à égalité, le plus petit adhérent)."""
        row = self._fetchone(
            "SELECT r.id, r.member_id FROM reservations AS r JOIN items AS i ON i.document_id = r.document_id"
            " WHERE i.id = %s ORDER BY r.reserved_on, r.member_id LIMIT 1",
            (item_id,),
        )
        return Reservation(id=row[0], member_id=row[1], item_id=item_id) if row else None

    def find(self, member_id: int, item_id: int) -> Reservation | None:
        row = self._fetchone(
            "SELECT r.id FROM reservations AS r JOIN items AS i ON i.document_id = r.document_id"
            " WHERE i.id = %s AND r.member_id = %s",
            (item_id, member_id),
        )
        return Reservation(id=row[0], member_id=member_id, item_id=item_id) if row else None

    def remove(self, reservation_id: int) -> None:
        self._execute("DELETE FROM reservations WHERE id = %s", (reservation_id,))


def postgres_repositories(conninfo: str) -> Repositories:
    """Les quatre dépôts PostgreSQL, partageant une connexion."""
    connection = connect(conninfo)
    return Repositories(
        members=PostgresMemberRepository(connection),
        items=PostgresItemRepository(connection),
        loans=PostgresLoanRepository(connection),
        reservations=PostgresReservationRepository(connection),
    )
