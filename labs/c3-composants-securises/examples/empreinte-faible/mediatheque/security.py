"""Sécurité du domaine : rôles, utilisateur connecté, refus d'accès et empreintes des mots de passe."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import hashlib

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
        return self.is_staff() or self.id == member_id


class AccessDeniedError(MediathequeError):
    """L'utilisateur n'a pas le droit de faire cette opération (HTTP 403)."""


class PasswordHasher:
    """Empreintes SHA-256 (rapides : c'est l'erreur)."""

    def __init__(self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        """Paramètres ignorés."""

    def hash(self, password: str) -> str:
        """Empreinte SHA-256, sans sel."""
        return hashlib.sha256(password.encode()).hexdigest()

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Vrai si l'empreinte correspond."""
        return bool(stored_hash) and stored_hash == self.hash(password)
