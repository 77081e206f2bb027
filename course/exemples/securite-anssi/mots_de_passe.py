"""Empreintes des mots de passe des adhérents avec Argon2id (argon2-cffi).

Paramètres : 19 Mio de mémoire, 2 passes, 1 fil (le minimum de l'OWASP pour Argon2id, celui
qu'exige le lab nb-anssi-mots-de-passe). Le sel (16 octets aléatoires) et les paramètres sont
rangés dans l'empreinte elle-même : « $argon2id$v=19$m=19456,t=2,p=1$<sel>$<empreinte> ».
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16)


def normalise(password: str) -> str:
    # « é » saisi sur deux claviers différents donne la même suite d'octets.
    return unicodedata.normalize("NFC", password)


def hash_password(password: str) -> str:
    return HASHER.hash(normalise(password))


def verify_password(stored: str, password: str) -> bool:
    """Vrai si le mot de passe correspond ; faux sinon, sans jamais lever d'exception."""
    try:
        return HASHER.verify(stored, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Vrai si l'empreinte a été calculée avec d'autres paramètres : on la recalcule à la
    prochaine connexion réussie, seul moment où l'on connaît le mot de passe."""
    return HASHER.check_needs_rehash(stored)
