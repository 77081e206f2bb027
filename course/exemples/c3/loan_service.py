"""Service des prêts : les droits sont vérifiés ici, à chaque appel, quel que soit l'appelant."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from domain import AccessDeniedError, Actor, Loan, LoanRefusedError, Member, NotFoundError, return_date


class LoanStore(Protocol):
    """Ce dont le service a besoin pour lire et écrire les prêts (PostgreSQL en production)."""

    def member(self, member_id: int) -> Member | None: ...
    def current_loans(self, member_id: int) -> list[Loan]: ...
    def all_loans(self, member_id: int) -> list[Loan]: ...
    def add(self, loan: Loan) -> None: ...


class LoanService:
    """Consulter et enregistrer des prêts. Les routes Flask, une API ou un script passent tous par ici."""

    def __init__(self, store: LoanStore) -> None:
        """Le service reçoit son stockage : en test, un stockage en mémoire."""
        self._store = store

    def loans_of(self, actor: Actor, member_id: int) -> list[Loan]:
        """Les prêts d'un adhérent. Pour ceux d'un autre : NotFoundError, comme s'il n'existait pas."""
        if not actor.can_see_member(member_id) or self._store.member(member_id) is None:
            raise NotFoundError(f"adhérent {member_id} introuvable")
        return self._store.all_loans(member_id)

    def lend(self, actor: Actor, member_id: int, barcode: str, kind: str, today: date) -> Loan:
        """Enregistre un prêt au comptoir : réservé au personnel, puis règles de REGLES.md."""
        if not actor.is_staff:
            raise AccessDeniedError("seul le personnel enregistre un prêt")
        member = self._store.member(member_id)
        if member is None:
            raise NotFoundError(f"adhérent {member_id} introuvable")
        if today.weekday() in (6, 0):
            raise LoanRefusedError("médiathèque fermée")
        reason = member.refusal_reason(self._store.current_loans(member_id), today)
        if reason is not None:
            raise LoanRefusedError(reason)
        loan = Loan(member_id, barcode, today, return_date(today, kind))
        self._store.add(loan)
        return loan
