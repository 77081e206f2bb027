"""Couche d'accès aux données : interfaces de dépôts et implémentation en mémoire.

L'implémentation PostgreSQL vit dans `mediatheque.data.postgres` ; elle n'est pas
importée ici, pour que l'application (et les tests) fonctionnent sans psycopg.
"""

from mediatheque.data.interfaces import (
    ItemRepository,
    LoanRepository,
    MemberRepository,
    Repositories,
    ReservationRepository,
)
from mediatheque.data.memory import in_memory_repositories
from mediatheque.data.seed import seed_demo_data

__all__ = [
    "ItemRepository",
    "LoanRepository",
    "MemberRepository",
    "Repositories",
    "ReservationRepository",
    "in_memory_repositories",
    "seed_demo_data",
]
