"""Jeu de données de démonstration. Données fictives uniquement (aucune donnée personnelle réelle)."""

from __future__ import annotations

from mediatheque.data.interfaces import Repositories
from mediatheque.domain import Item, Member

DEMO_MEMBERS = (
    Member(id=1, name="Adhérent Démo 1"),
    Member(id=2, name="Adhérent Démo 2"),
    Member(id=3, name="Adhérent Démo 3"),
)

DEMO_ITEMS = (
    Item(id=1, title="Les Misérables", kind="livre"),
    Item(id=2, title="Le Tour du monde en quatre-vingts jours", kind="livre"),
    Item(id=3, title="Notre-Dame de Paris", kind="livre"),
    Item(id=4, title="Madame Bovary", kind="livre"),
    Item(id=5, title="Germinal", kind="livre"),
    Item(id=6, title="Le Voyage dans la Lune", kind="dvd"),
    Item(id=7, title="Les Quatre Saisons", kind="cd"),
    Item(id=8, title="Vingt mille lieues sous les mers", kind="livre"),
)


def seed_demo_data(repositories: Repositories) -> None:
    """3 adhérents, 8 documents, aucun prêt ; le document 8 est réservé par l'adhérent 3."""
    for member in DEMO_MEMBERS:
        repositories.members.add(member)
    for item in DEMO_ITEMS:
        repositories.items.add(item)
    repositories.reservations.add(member_id=3, item_id=8)
