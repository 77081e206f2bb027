"""Dépôts PostgreSQL de la médiathèque de référence (psycopg 3) : requêtes paramétrées (%s) uniquement.

Les règles (quota, durées) viennent du service (services/loans.py) ; le dépôt garantit l'atomicité.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mediatheque import validation as check
from mediatheque.database import Database
from mediatheque.errors import ConflictError, NotFoundError



@dataclass(frozen=True)
class Member:
    id: int
    card_number: str
    last_name: str
    first_name: str
    email: str
    phone: str | None
    birth_year: int | None
    registered_on: date
    subscription_ends_on: date


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    kind: str
    year: int | None
    author: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Loan:
    id: int
    item_id: int
    member_id: int
    loaned_on: date
    due_on: date
    returned_on: date | None


def like_pattern(fragment: str) -> str:
    """Motif LIKE qui cherche le fragment tel quel : % et _ ne sont pas des jokers."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class MemberRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, card_number: str, last_name: str, first_name: str, email: str, *, birth_year: int | None = None,
            password_hash: str | None = None, today: date | None = None, phone: str | None = None) -> Member:
        with self._db.transaction() as cur:
            cur.execute("INSERT INTO members (card_number, last_name, first_name, email, phone, birth_year, password_hash, "
                        "registered_on, subscription_ends_on) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, coalesce(%s, current_date), coalesce(%s, current_date) + 365) "
                        "RETURNING id, card_number, last_name, first_name, email, phone, birth_year, registered_on, subscription_ends_on",
                        (card_number, last_name, first_name, email, phone, birth_year, password_hash, today, today))
            return Member(*cur.fetchone())

    def get(self, member_id: int) -> Member:
        member_id = check.identifier(member_id, "adhérent")
        with self._db.transaction() as cur:
            cur.execute("SELECT id, card_number, last_name, first_name, email, phone, birth_year, registered_on, subscription_ends_on FROM members "
                        "WHERE id = %s AND erased_on IS NULL", (member_id,))
            row = cur.fetchone()
        if row is None:
            raise NotFoundError(f"adhérent {member_id} introuvable")
        return Member(*row)

    def credentials(self, card_number: str) -> tuple[int, str] | None:
        """(id, empreinte du mot de passe) d'un compte actif, None sinon."""
        with self._db.transaction() as cur:
            cur.execute("SELECT id, password_hash FROM members WHERE card_number = %s AND erased_on IS NULL "
                        "AND password_hash IS NOT NULL", (card_number,))
            row = cur.fetchone()
        return (row[0], row[1]) if row else None

    def credentials_by_email(self, email: str) -> tuple[int, str] | None:
        """(id, empreinte du mot de passe) d'un compte actif désigné par son courriel, None sinon."""
        with self._db.transaction() as cur:
            cur.execute("SELECT id, password_hash FROM members WHERE email = %s AND erased_on IS NULL "
                        "AND password_hash IS NOT NULL", (check.text(email, "courriel", max_length=254).lower(),))
            row = cur.fetchone()
        return (row[0], row[1]) if row else None

    def next_card_number(self) -> str:
        with self._db.transaction() as cur:
            cur.execute("SELECT coalesce(max(substr(card_number, 2)::integer), 0) + 1 FROM members")
            return f"M{cur.fetchone()[0]:06d}"

    def erase(self, member_id: int, today: date) -> None:
        """Droit à l'effacement : l'identité est remplacée, les réservations partent, les prêts restent
        (historique) rattachés à une fiche anonyme."""
        member_id = check.identifier(member_id, "adhérent")
        with self._db.transaction() as cur:
            cur.execute("SELECT 1 FROM loans WHERE member_id = %s AND returned_on IS NULL", (member_id,))
            if cur.fetchone() is not None:
                raise ConflictError("rendez d'abord vos documents en cours de prêt")
            cur.execute("DELETE FROM reservations WHERE member_id = %s", (member_id,))
            cur.execute("UPDATE members SET last_name = 'Anonyme', first_name = 'Anonyme', "
                        "email = 'efface-' || id || '@invalid', phone = NULL, birth_year = NULL, "
                        "password_hash = NULL, erased_on = %s WHERE id = %s AND erased_on IS NULL",
                        (today, member_id))
            if cur.rowcount != 1:
                raise NotFoundError(f"adhérent {member_id} introuvable")


class CatalogueRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    COLUMNS = "id, title, kind, publication_year, author, summary"

    def search(self, fragment: str, kind: str | None = None) -> list[Document]:
        """Les documents dont le titre ou l'auteur contient le fragment."""
        pattern = like_pattern(check.text(fragment, "recherche"))
        kind = check.kind(kind)
        with self._db.transaction() as cur:
            cur.execute(f"SELECT {self.COLUMNS} FROM documents "
                        "WHERE (title ILIKE %s OR author ILIKE %s) AND (%s::text IS NULL OR kind = %s) ORDER BY title, id",
                        (pattern, pattern, kind, kind))
            return [Document(*row) for row in cur.fetchall()]

    def get(self, document_id: int) -> Document:
        document_id = check.identifier(document_id, "document")
        with self._db.transaction() as cur:
            cur.execute(f"SELECT {self.COLUMNS} FROM documents WHERE id = %s", (document_id,))
            row = cur.fetchone()
        if row is None:
            raise NotFoundError(f"document {document_id} introuvable")
        return Document(*row)

    def page(self, number: int, size: int) -> tuple[list[Document], int]:
        """(documents de la page `number` (à partir de 1) par ordre d'identifiant, nombre total de documents)."""
        number, size = check.identifier(number, "page"), check.identifier(size, "taille de page")
        with self._db.transaction() as cur:
            cur.execute("SELECT count(*) FROM documents")
            total = cur.fetchone()[0]
            cur.execute(f"SELECT {self.COLUMNS} FROM documents ORDER BY id LIMIT %s OFFSET %s",
                        (size, (number - 1) * size))
            return [Document(*row) for row in cur.fetchall()], total

    def available(self, document_ids: list[int]) -> set[int]:
        """Ceux des documents qui ont au moins un exemplaire en rayon (pas de prêt en cours)."""
        if not document_ids:
            return set()
        document_ids = check.identifiers(document_ids, "document")
        with self._db.transaction() as cur:
            cur.execute("SELECT DISTINCT i.document_id FROM items AS i WHERE i.document_id = ANY(%s) AND NOT EXISTS "
                        "(SELECT 1 FROM loans AS l WHERE l.item_id = i.id AND l.returned_on IS NULL)",
                        (document_ids,))
            return {row[0] for row in cur.fetchall()}


class LoanRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def lend(self, member_id: int, item_id: int, today: date, policy) -> Loan:
        """Prête un exemplaire si `policy(member_row, due_dates_en_cours, kind)` renvoie une date de retour.

        Adhérent verrouillé (FOR UPDATE) : deux prêts simultanés ne dépassent pas le quota."""
        with self._db.transaction() as cur:
            cur.execute("SELECT birth_year, subscription_ends_on FROM members WHERE id = %s AND erased_on IS NULL "
                        "FOR UPDATE", (member_id,))
            member = cur.fetchone()
            if member is None:
                raise NotFoundError(f"adhérent {member_id} introuvable")
            cur.execute("SELECT due_on FROM loans WHERE member_id = %s AND returned_on IS NULL", (member_id,))
            current = [row[0] for row in cur.fetchall()]
            cur.execute("SELECT d.kind FROM items AS i JOIN documents AS d ON d.id = i.document_id WHERE i.id = %s",
                        (item_id,))
            found = cur.fetchone()
            if found is None:
                raise NotFoundError(f"exemplaire {item_id} introuvable")
            due_on = policy(member, current, found[0])
            cur.execute("SELECT 1 FROM loans WHERE item_id = %s AND returned_on IS NULL", (item_id,))
            if cur.fetchone() is not None:
                raise ConflictError(f"exemplaire {item_id} déjà prêté")
            cur.execute("INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (%s, %s, %s, %s) "
                        "RETURNING id, item_id, member_id, loaned_on, due_on, returned_on", (item_id, member_id, today, due_on))
            return Loan(*cur.fetchone())

    def history(self, member_id: int) -> list[tuple[str, date, date, date | None]]:
        """(titre, prêté le, à rendre le, rendu le) de tous les prêts de l'adhérent."""
        with self._db.transaction() as cur:
            cur.execute("SELECT d.title, l.loaned_on, l.due_on, l.returned_on FROM loans AS l "
                        "JOIN items AS i ON i.id = l.item_id JOIN documents AS d ON d.id = i.document_id "
                        "WHERE l.member_id = %s ORDER BY l.loaned_on, l.id", (member_id,))
            return [tuple(row) for row in cur.fetchall()]


class ReservationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def reserve(self, member_id: int, document_id: int, today: date) -> None:
        with self._db.transaction() as cur:
            cur.execute("INSERT INTO reservations (member_id, document_id, reserved_on) VALUES (%s, %s, %s)",
                        (member_id, document_id, today))

    def queue(self, document_id: int) -> list[tuple[date, int]]:
        with self._db.transaction() as cur:
            cur.execute("SELECT reserved_on, member_id FROM reservations WHERE document_id = %s", (document_id,))
            return [tuple(row) for row in cur.fetchall()]

    def of_member(self, member_id: int) -> list[tuple[str, date]]:
        with self._db.transaction() as cur:
            cur.execute("SELECT d.title, r.reserved_on FROM reservations AS r JOIN documents AS d "
                        "ON d.id = r.document_id WHERE r.member_id = %s ORDER BY r.reserved_on", (member_id,))
            return [tuple(row) for row in cur.fetchall()]
