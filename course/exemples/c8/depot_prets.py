"""Composants d'accès aux données de l'exemple C8, au-dessus de la couche de la médiathèque de référence
(course/mediatheque/app) : sa connexion transactionnelle, ses erreurs du domaine, sa validation.

Requêtes paramétrées, une transaction par opération, erreurs traduites, entrées validées.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import redis

from mediatheque import validation as check
from mediatheque.database import Database
from mediatheque.errors import ConflictError, InvalidInputError, NotFoundError
from mediatheque.repositories import like_pattern

MAX_ACTIVE_LOANS = 5  # adulte (REGLES.md)
LOAN_DAYS = {"livre": 21, "bd": 14, "cd": 14, "dvd": 7, "revue": 7}


class LoanDesk:
    """Le comptoir de prêt : plusieurs exemplaires prêtés d'un coup, tous ou aucun."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def member_id(self, card: str) -> int:
        card = check.card_number(card)  # InvalidInputError avant tout accès à la base
        with self._db.transaction() as cur:
            cur.execute("SELECT id FROM members WHERE card_number = %s", (card,))
            row = cur.fetchone()
        if row is None:
            raise NotFoundError("adhérent introuvable")
        return row[0]

    def lend_many(self, card: str, barcodes: list[str], today: date) -> list[date]:
        """Prête tous les exemplaires, ou aucun : une seule transaction."""
        card = check.card_number(card)
        barcodes = [check.text(b, "code-barres", max_length=20) for b in barcodes]
        with self._db.transaction() as cur:
            cur.execute("SELECT id FROM members WHERE card_number = %s FOR UPDATE", (card,))
            member = cur.fetchone()
            if member is None:
                raise NotFoundError("adhérent introuvable")
            cur.execute("SELECT count(*) FROM loans WHERE member_id = %s AND returned_on IS NULL", member)
            if cur.fetchone()[0] + len(barcodes) > MAX_ACTIVE_LOANS:
                raise ConflictError("quota atteint")
            due_dates = []
            for barcode in barcodes:
                cur.execute("SELECT i.id, d.kind FROM items AS i JOIN documents AS d ON d.id = i.document_id "
                            "WHERE i.barcode = %s", (barcode,))
                item = cur.fetchone()
                if item is None:
                    raise NotFoundError(f"exemplaire {barcode} introuvable")
                due_on = today + timedelta(days=LOAN_DAYS[item[1]])
                cur.execute("INSERT INTO loans (item_id, member_id, loaned_on, due_on) VALUES (%s, %s, %s, %s)",
                            (item[0], member[0], today, due_on))
                due_dates.append(due_on)
            return due_dates


class TitleSearch:
    """Recherche par titre, mise en cache dans Redis 5 minutes ; Redis injoignable : on lit la base."""

    def __init__(self, db: Database, cache: redis.Redis, ttl_s: int = 300) -> None:
        self._db, self._cache, self._ttl = db, cache, ttl_s

    def titles(self, fragment: str) -> list[str]:
        fragment = check.text(fragment, "recherche")  # texte, 1 à 100 caractères, sans octet nul
        key = "mediatheque:titres:" + fragment.lower()
        try:
            cached = self._cache.get(key)
        except redis.RedisError:
            cached = None
        if cached is not None:
            return json.loads(cached)
        with self._db.transaction() as cur:
            cur.execute("SELECT title FROM documents WHERE title ILIKE %s ORDER BY title", (like_pattern(fragment),))
            titles = [row[0] for row in cur.fetchall()]
        try:
            self._cache.set(key, json.dumps(titles), ex=self._ttl)
        except redis.RedisError:
            pass  # le cache est une optimisation : son absence ne casse pas la recherche
        return titles


__all__ = ["InvalidInputError", "LoanDesk", "TitleSearch"]
