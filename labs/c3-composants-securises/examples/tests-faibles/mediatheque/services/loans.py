"""Prêts : consultation limitée au propriétaire et au personnel, retour réservé au personnel."""

from __future__ import annotations

from datetime import date

from mediatheque import validation as check
from mediatheque.database import Database
from mediatheque.errors import ConflictError, NotFoundError
from mediatheque.security import AccessDeniedError, User


class LoanAccessService:
    """Accès aux prêts, droits vérifiés ici (et pas seulement dans les routes)."""

    def __init__(self, db: Database) -> None:
        """Le service reçoit la base."""
        self._db = db

    def loans_of(self, actor: User, member_id: int) -> list[dict]:
        """Les prêts d'un adhérent. Ceux d'un autre : NotFoundError (on ne révèle pas qu'il existe)."""
        member_id = check.identifier(member_id, "adhérent")
        if not actor.may_read_member(member_id):
            raise NotFoundError(f"adhérent {member_id} introuvable")
        with self._db.transaction() as cur:
            cur.execute("SELECT l.id, d.title, l.loaned_on, l.due_on, l.returned_on FROM loans AS l "
                        "JOIN items AS i ON i.id = l.item_id JOIN documents AS d ON d.id = i.document_id "
                        "WHERE l.member_id = %s ORDER BY l.loaned_on, l.id", (member_id,))
            rows = cur.fetchall()
        return [{"id": row[0], "titre": row[1], "emprunte_le": row[2].isoformat(), "a_rendre_le": row[3].isoformat(),
                 "rendu_le": row[4].isoformat() if row[4] else None} for row in rows]

    def return_loan(self, actor: User, loan_id: int, today: date) -> None:
        """Enregistre le retour d'un prêt : réservé au personnel."""
        if not actor.is_staff():
            raise AccessDeniedError("seul le personnel enregistre un retour")
        loan_id = check.identifier(loan_id, "prêt")
        with self._db.transaction() as cur:
            cur.execute("UPDATE loans SET returned_on = %s WHERE id = %s AND returned_on IS NULL",
                        (check.day(today), loan_id))
            if cur.rowcount == 1:
                return
            cur.execute("SELECT 1 FROM loans WHERE id = %s", (loan_id,))
            if cur.fetchone() is None:
                raise NotFoundError(f"prêt {loan_id} introuvable")
        raise ConflictError(f"prêt {loan_id} déjà rendu")
