"""Dépôts (exemple d'erreur typique : requêtes construites par f-strings, injectables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mediatheque import validation as check
from mediatheque.database import Database
from mediatheque.errors import ConflictError, NotFoundError

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


def like_pattern(fragment: str) -> str:
    return f"%{fragment}%"


class MemberRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, card_number: str, last_name: str, first_name: str, email: str) -> Member:
        values = (check.card_number(card_number), check.text(last_name, "nom"), check.text(first_name, "prénom"),
                  check.email(email))
        card, last, first, mail = values
        with self._db.transaction() as cur:
            cur.execute(f"INSERT INTO members (card_number, last_name, first_name, email) "
                        f"VALUES ('{card}', '{last}', '{first}', '{mail}') "
                        "RETURNING id, card_number, last_name, first_name, email")
            return Member(*cur.fetchone())

    def get(self, member_id: int) -> Member:
        member_id = check.identifier(member_id, "adhérent")
        with self._db.transaction() as cur:
            cur.execute(f"SELECT id, card_number, last_name, first_name, email FROM members WHERE id = {member_id}")
            row = cur.fetchone()
        if row is None:
            raise NotFoundError(f"adhérent {member_id} introuvable")
        return Member(*row)

    def find_by_email(self, email: str) -> Member | None:
        email = check.text(email, "courriel", max_length=254).lower()
        with self._db.transaction() as cur:
            cur.execute(f"SELECT id, card_number, last_name, first_name, email FROM members WHERE lower(email) = '{email}'")
            row = cur.fetchone()
        return Member(*row) if row else None

    def search(self, name_fragment: str) -> list[Member]:
        pattern = like_pattern(check.text(name_fragment, "recherche"))
        with self._db.transaction() as cur:
            cur.execute("SELECT id, card_number, last_name, first_name, email FROM members "
                        f"WHERE last_name ILIKE '{pattern}' OR first_name ILIKE '{pattern}' "
                        "ORDER BY last_name, first_name, id")
            return [Member(*row) for row in cur.fetchall()]


class CatalogueRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, title_fragment: str, kind: str | None = None) -> list[Document]:
        pattern = like_pattern(check.text(title_fragment, "recherche"))
        kind = check.kind(kind)
        with self._db.transaction() as cur:
            condition = f" AND kind = '{kind}'" if kind else ""
            cur.execute(f"SELECT id, title, kind, publication_year FROM documents WHERE title ILIKE '{pattern}'{condition} "
                        "ORDER BY title, id")
            return [Document(*row) for row in cur.fetchall()]

    def available_items(self, document_id: int) -> list[int]:
        document_id = check.identifier(document_id, "document")
        with self._db.transaction() as cur:
            cur.execute("SELECT 1 FROM documents WHERE id = %s", (document_id,))
            if cur.fetchone() is None:
                raise NotFoundError(f"document {document_id} introuvable")
            cur.execute("SELECT i.id FROM items AS i WHERE i.document_id = %s AND NOT EXISTS ("
                        "SELECT 1 FROM loans AS l WHERE l.item_id = i.id AND l.returned_on IS NULL) ORDER BY i.id",
                        (document_id,))
            return [row[0] for row in cur.fetchall()]


class LoanRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def lend(self, member_id: int, item_ids: list[int], today: date) -> list[Loan]:
        """Prête tous les exemplaires, ou aucun : une seule transaction."""
        member_id = check.identifier(member_id, "adhérent")
        item_ids = check.identifiers(item_ids, "exemplaires")
        today = check.day(today, "date du prêt")
        with self._db.transaction() as cur:
            # Verrouille l'adhérent : deux prêts simultanés ne dépassent pas la limite.
            cur.execute("SELECT id FROM members WHERE id = %s FOR UPDATE", (member_id,))
            if cur.fetchone() is None:
                raise NotFoundError(f"adhérent {member_id} introuvable")
            cur.execute("SELECT count(*) FROM loans WHERE member_id = %s AND returned_on IS NULL", (member_id,))
            if cur.fetchone()[0] + len(item_ids) > MAX_ACTIVE_LOANS:
                raise ConflictError(f"limite de {MAX_ACTIVE_LOANS} prêts en cours atteinte")
            loans = []
            for item_id in item_ids:
                cur.execute("SELECT id FROM items WHERE id = %s", (item_id,))
                if cur.fetchone() is None:
                    raise NotFoundError(f"exemplaire {item_id} introuvable")
                cur.execute("SELECT 1 FROM loans WHERE item_id = %s AND returned_on IS NULL", (item_id,))
                if cur.fetchone() is not None:
                    raise ConflictError(f"exemplaire {item_id} déjà prêté")
                cur.execute("INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (%s, %s, %s, %s) "
                            "RETURNING id, item_id, member_id, loaned_on, due_on, returned_on", (item_id, member_id, today, today + timedelta(days=LOAN_DAYS)))
                loans.append(Loan(*cur.fetchone()))
            return loans

    def return_item(self, item_id: int, today: date) -> Loan:
        item_id = check.identifier(item_id, "exemplaire")
        today = check.day(today, "date du retour")
        with self._db.transaction() as cur:
            cur.execute("UPDATE loans SET returned_on = %s WHERE item_id = %s AND returned_on IS NULL "
                        "RETURNING id, item_id, member_id, loaned_on, due_on, returned_on", (today, item_id))
            row = cur.fetchone()
        if row is None:
            raise NotFoundError(f"aucun prêt en cours pour l'exemplaire {item_id}")
        return Loan(*row)

    def current_loans(self, member_id: int) -> list[Loan]:
        member_id = check.identifier(member_id, "adhérent")
        with self._db.transaction() as cur:
            cur.execute("SELECT id, item_id, member_id, loaned_on, due_on, returned_on FROM loans WHERE member_id = %s AND returned_on IS NULL "
                        "ORDER BY due_on, id", (member_id,))
            return [Loan(*row) for row in cur.fetchall()]
