"""Connexion à PostgreSQL (psycopg 3) — à écrire.

Attendu : `Database(url)` ; `with db.transaction() as cur:` ouvre une transaction, la valide si le
bloc se termine normalement, l'annule sinon, et traduit les erreurs psycopg en erreurs du domaine
(mediatheque.errors) : base injoignable -> DataUnavailableError (sans recopier l'URL ni le mot de
passe), doublon -> ConflictError, autre erreur -> MediathequeError.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class Database:
    def __init__(self, url: str, *, connect_timeout: int = 3) -> None:
        self._url = url
        self._connect_timeout = connect_timeout

    @contextmanager
    def transaction(self) -> Iterator[object]:
        raise NotImplementedError("Database.transaction")
        yield  # pragma: no cover
