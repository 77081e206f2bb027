"""Couche d'accès aux données : interfaces, implémentation en mémoire et PostgreSQL."""

from mediatheque.data.interfaces import (
    ItemRepository,
    LoanRepository,
    MemberRepository,
    Repositories,
    ReservationRepository,
)
from mediatheque.data.memory import in_memory_repositories
from mediatheque.data.postgres import postgres_repositories
from mediatheque.data.seed import seed_demo_data

__all__ = [
    "ItemRepository",
    "LoanRepository",
    "MemberRepository",
    "Repositories",
    "ReservationRepository",
    "in_memory_repositories",
    "postgres_repositories",
    "seed_demo_data",
]
