"""Jeu de données de démonstration. Données fictives uniquement (aucune donnée personnelle réelle)."""

from __future__ import annotations

from mediatheque.data.interfaces import Repositories
from mediatheque.domain import Item, Member

DEMO_MEMBERS = tuple(
    Member(id=n, card_number=f"M{n:06d}", last_name="Démo", first_name=f"Adhérent {n}",
           email=f"adherent{n}@example.org")
    for n in (1, 2, 3)
)

DEMO_ITEMS = (
    Item(id=1, document_id=1, barcode="C000001", title="Les Misérables", kind="livre"),
    Item(id=2, document_id=2, barcode="C000002", title="Le Tour du monde en quatre-vingts jours", kind="livre"),
    Item(id=3, document_id=3, barcode="C000003", title="Notre-Dame de Paris", kind="livre"),
    Item(id=4, document_id=4, barcode="C000004", title="Madame Bovary", kind="livre"),
    Item(id=5, document_id=5, barcode="C000005", title="Germinal", kind="livre"),
    Item(id=6, document_id=6, barcode="C000006", title="Le Voyage dans la Lune", kind="dvd"),
    Item(id=7, document_id=7, barcode="C000007", title="Les Quatre Saisons", kind="cd"),
    Item(id=8, document_id=8, barcode="C000008", title="Vingt mille lieues sous les mers", kind="livre"),
)


def seed_demo_data(repositories: Repositories) -> None:
    """3 adhérents, 8 documents (un exemplaire chacun), aucun prêt ; le document 8 est réservé par l'adhérent 3."""
    for member in DEMO_MEMBERS:
        repositories.members.add(member)
    for item in DEMO_ITEMS:
        repositories.items.add(item)
    repositories.reservations.add(member_id=3, item_id=8)
