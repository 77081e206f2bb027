"""Entités de la médiathèque (objets du domaine, sans dépendance technique)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Member:
    """Adhérent de la médiathèque (colonnes de `members` utiles au prêt ; ni date ni année de naissance :
    le quota des mineurs n'est pas de ce lab)."""

    id: int
    card_number: str
    last_name: str
    first_name: str
    email: str


@dataclass(frozen=True)
class Item:
    """Exemplaire (`items`) d'un document du catalogue (`documents` : titre et type). Types : livre, bd,
    cd, dvd, revue."""

    id: int
    document_id: int
    barcode: str
    title: str
    kind: str


@dataclass(frozen=True)
class Loan:
    """Prêt d'un exemplaire à un adhérent (`start` et `due` : colonnes `loaned_on` et `due_on` de `loans`).
    `returned_on` vaut None tant qu'il est en cours."""

    id: int
    member_id: int
    item_id: int
    start: date
    due: date
    returned_on: date | None = None

    @property
    def active(self) -> bool:
        return self.returned_on is None

    def is_late(self, today: date) -> bool:
        """En retard : toujours en cours et date de retour prévue dépassée."""
        return self.active and today > self.due


@dataclass(frozen=True)
class Reservation:
    """Réservation en cours d'un document par un adhérent."""

    id: int
    member_id: int
    item_id: int
