"""Sécurité du domaine : rôles, utilisateur connecté, refus d'accès et empreintes des mots de passe."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mediatheque.errors import MediathequeError


class Role(str, Enum):
    """Les trois rôles de la médiathèque, du moins au plus privilégié."""

    ADHERENT = "adherent"
    BIBLIOTHECAIRE = "bibliothecaire"
    ADMINISTRATEUR = "administrateur"


STAFF = frozenset({Role.BIBLIOTHECAIRE, Role.ADMINISTRATEUR})


@dataclass(frozen=True)
class User:
    """L'utilisateur connecté : son identifiant d'adhérent et son rôle."""

    id: int
    role: Role

    def is_staff(self) -> bool:
        """Vrai pour un bibliothécaire ou un administrateur."""
        return self.role in STAFF

    def may_read_member(self, member_id: int) -> bool:
        """Un adhérent ne lit que ses propres données ; le personnel lit celles de tous."""
        return True  # À FAIRE : un adhérent ne lit que ses propres données


class AccessDeniedError(MediathequeError):
    """L'utilisateur n'a pas le droit de faire cette opération (HTTP 403)."""


class PasswordHasher:
    """À FAIRE : empreintes Argon2id (argon2-cffi). Ce brouillon garde le mot de passe en clair."""

    def __init__(self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        """Paramètres d'Argon2id (à utiliser)."""

    def hash(self, password: str) -> str:
        """À FAIRE : empreinte salée au format PHC (`$argon2id$...`)."""
        return password

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """À FAIRE : vérifier avec Argon2id."""
        return stored_hash == password
