"""Connexion à PostgreSQL : transactions courtes, erreurs traduites en erreurs du domaine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors

from mediatheque.errors import ConflictError, DataUnavailableError, MediathequeError, NotFoundError


class Database:
    """Une connexion par transaction (simple et sûr ; un pool viendrait ensuite)."""

    def __init__(self, url: str, *, connect_timeout: int = 3) -> None:
        self._url = url
        self._connect_timeout = connect_timeout

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor]:
        """Un curseur dans une transaction : validée si le bloc se termine, annulée sinon."""
        try:
            conn = psycopg.connect(self._url, connect_timeout=self._connect_timeout)
        except psycopg.OperationalError:
            # Le message de psycopg peut contenir l'URL (donc le mot de passe) : on ne le recopie pas.
            raise DataUnavailableError("base de données injoignable, réessayez plus tard") from None
        try:
            with conn:  # commit si tout va bien, rollback si une exception traverse le bloc
                with conn.cursor() as cursor:
                    yield cursor
        except MediathequeError:
            raise
        except pg_errors.UniqueViolation:
            raise ConflictError("cette valeur existe déjà") from None
        except pg_errors.ForeignKeyViolation:
            raise NotFoundError("élément référencé introuvable") from None
        except pg_errors.CheckViolation:
            raise ConflictError("donnée refusée par une règle de la base") from None
        except psycopg.OperationalError:
            raise DataUnavailableError("connexion à la base perdue, l'opération a été annulée") from None
        except psycopg.Error as exc:
            raise MediathequeError(f"erreur de la base de données ({exc.sqlstate or 'inconnue'}), opération annulée") from None
        finally:
            conn.close()
