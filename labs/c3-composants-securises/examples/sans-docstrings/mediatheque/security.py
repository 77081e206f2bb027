from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

from mediatheque.errors import MediathequeError


class Role(str, Enum):

    ADHERENT = "adherent"
    BIBLIOTHECAIRE = "bibliothecaire"
    ADMINISTRATEUR = "administrateur"


STAFF = frozenset({Role.BIBLIOTHECAIRE, Role.ADMINISTRATEUR})


@dataclass(frozen=True)
class User:

    id: int
    role: Role

    def is_staff(self) -> bool:
        return self.role in STAFF

    def may_read_member(self, member_id: int) -> bool:
        return self.is_staff() or self.id == member_id


class AccessDeniedError(MediathequeError):
    """L'utilisateur n'a pas le droit de faire cette opération (HTTP 403)."""


class PasswordHasher:

    def __init__(self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        self._hasher = Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism,
                                    type=Type.ID)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        if not stored_hash or not stored_hash.startswith("$argon2id$"):
            return False
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
