"""Composants Redis : limitation des tentatives de connexion et cache du catalogue, avec expiration."""

from __future__ import annotations

import json

import redis

from mediatheque import validation as check
from mediatheque.errors import DataUnavailableError
from mediatheque.repositories import CatalogueRepository, Document


class LoginRateLimiter:
    """Compte les échecs de connexion par identifiant sur une fenêtre glissante (ANSSI : limiter
    les tentatives). Redis injoignable : on refuse de conclure (DataUnavailableError)."""

    def __init__(self, client: redis.Redis, *, prefix: str = "mediatheque:", max_attempts: int = 5,
                 window_s: int = 900) -> None:
        self._redis = client
        self._prefix = prefix
        self._max = max_attempts
        self._window = window_s

    def _key(self, login: str) -> str:
        return f"{self._prefix}login-failures:{check.text(login, 'identifiant', max_length=254)}"

    def register_failure(self, login: str) -> int:
        key = self._key(login)
        try:
            with self._redis.pipeline() as pipe:  # MULTI/EXEC : compteur et expiration ensemble
                pipe.incr(key)
                pipe.expire(key, self._window, nx=True)
                count, _ = pipe.execute()
        except redis.RedisError:
            raise DataUnavailableError("service de limitation injoignable") from None
        return int(count)

    def is_blocked(self, login: str) -> bool:
        key = self._key(login)
        try:
            count = self._redis.get(key)
        except redis.RedisError:
            raise DataUnavailableError("service de limitation injoignable") from None
        return count is not None and int(count) >= self._max

    def reset(self, login: str) -> None:
        key = self._key(login)
        try:
            self._redis.delete(key)
        except redis.RedisError:
            raise DataUnavailableError("service de limitation injoignable") from None


class CatalogueCache:
    """Cache des recherches du catalogue, avec expiration. Redis injoignable : on interroge la base."""

    def __init__(self, client: redis.Redis, catalogue: CatalogueRepository, *, prefix: str = "mediatheque:",
                 ttl_s: int = 300) -> None:
        self._redis = client
        self._catalogue = catalogue
        self._prefix = prefix
        self._ttl = ttl_s

    def _key(self, title_fragment: str, kind: str | None) -> str:
        fragment = check.text(title_fragment, "recherche").lower()
        return f"{self._prefix}catalogue:{check.kind(kind) or '*'}:{fragment}"

    def search(self, title_fragment: str, kind: str | None = None) -> list[Document]:
        key = self._key(title_fragment, kind)
        try:
            cached = self._redis.get(key)
        except redis.RedisError:
            cached = None
        if cached is not None:
            return [Document(**fields) for fields in json.loads(cached)]
        documents = self._catalogue.search(title_fragment, kind)
        try:
            self._redis.set(key, json.dumps([d.__dict__ for d in documents]), ex=self._ttl)
        except redis.RedisError:
            pass  # le cache est une optimisation : son absence ne bloque pas la recherche
        return documents

    def invalidate(self) -> None:
        try:
            keys = list(self._redis.scan_iter(match=f"{self._prefix}catalogue:*", count=500))
            if keys:
                self._redis.delete(*keys)
        except redis.RedisError:
            pass
