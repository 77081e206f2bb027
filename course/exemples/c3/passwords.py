"""Empreintes des mots de passe en Argon2id (argon2-cffi), jamais de mot de passe en clair."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12


class WeakPasswordError(ValueError):
    """Le mot de passe proposé est trop court."""


class PasswordStore:
    """Calcule et vérifie des empreintes Argon2id salées, au format PHC (`$argon2id$v=19$...`)."""

    def __init__(self, time_cost: int = 3, memory_cost: int = 64 * 1024, parallelism: int = 4) -> None:
        """Coût en passes, en Kio de mémoire et en fils ; des tests peuvent le réduire."""
        self._argon2 = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost,
                                      parallelism=parallelism, type=Type.ID)

    def digest(self, password: str) -> str:
        """L'empreinte à enregistrer ; un sel aléatoire neuf à chaque appel."""
        if len(password) < MIN_LENGTH:
            raise WeakPasswordError(f"{MIN_LENGTH} caractères au moins")
        return self._argon2.hash(password)

    def matches(self, stored: str | None, password: str) -> bool:
        """Vrai si le mot de passe correspond ; faux pour une empreinte absente, altérée ou d'un autre algorithme."""
        if not stored or not stored.startswith("$argon2id$"):
            return False
        try:
            return self._argon2.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_upgrade(self, stored: str) -> bool:
        """Vrai si l'empreinte a été calculée avec des paramètres plus faibles que les actuels."""
        return self._argon2.check_needs_rehash(stored)
