"""Sécurité du domaine : rôles, utilisateur connecté, refus d'accès et empreintes des mots de passe."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

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
    """Empreintes Argon2id (paramètres de la RFC 9106, profil « mémoire réduite »)."""

    def __init__(self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        """Paramètres d'Argon2id ; les tests peuvent les réduire pour aller plus vite."""
        self._hasher = Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism,
                                    type=Type.ID)

    def hash(self, password: str) -> str:
        """Empreinte salée du mot de passe, au format PHC (`$argon2id$...`)."""
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Vrai si `password` correspond à l'empreinte ; faux pour toute empreinte absente ou invalide."""
        if not stored_hash or not stored_hash.startswith("$argon2id$"):
            return False
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
