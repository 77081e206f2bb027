"""Connexion à PostgreSQL (exemple d'erreur typique : aucune traduction des erreurs)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg


class Database:
    def __init__(self, url: str, *, connect_timeout: int = 3) -> None:
        self._url = url
        self._connect_timeout = connect_timeout

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor]:
        with psycopg.connect(self._url, connect_timeout=self._connect_timeout) as conn:
            with conn.cursor() as cursor:
                yield cursor
