"""Composants Redis (exemple d'erreur typique : pas de validation, erreurs redis non traduites)."""

from __future__ import annotations

import json

import redis

from mediatheque.repositories import CatalogueRepository, Document


class LoginRateLimiter:
    def __init__(self, client: redis.Redis, *, prefix: str = "mediatheque:", max_attempts: int = 5,
                 window_s: int = 900) -> None:
        self._redis = client
        self._prefix = prefix
        self._max = max_attempts
        self._window = window_s

    def register_failure(self, login: str) -> int:
        key = f"{self._prefix}login-failures:{login}"
        with self._redis.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, self._window, nx=True)
            count, _ = pipe.execute()
        return int(count)

    def is_blocked(self, login: str) -> bool:
        count = self._redis.get(f"{self._prefix}login-failures:{login}")
        return count is not None and int(count) >= self._max

    def reset(self, login: str) -> None:
        self._redis.delete(f"{self._prefix}login-failures:{login}")


class CatalogueCache:
    def __init__(self, client: redis.Redis, catalogue: CatalogueRepository, *, prefix: str = "mediatheque:",
                 ttl_s: int = 300) -> None:
        self._redis = client
        self._catalogue = catalogue
        self._prefix = prefix
        self._ttl = ttl_s

    def search(self, title_fragment: str, kind: str | None = None) -> list[Document]:
        key = f"{self._prefix}catalogue:{kind or '*'}:{title_fragment.lower()}"
        cached = self._redis.get(key)
        if cached is not None:
            return [Document(**fields) for fields in json.loads(cached)]
        documents = self._catalogue.search(title_fragment, kind)
        self._redis.set(key, json.dumps([d.__dict__ for d in documents]), ex=self._ttl)
        return documents

    def invalidate(self) -> None:
        keys = list(self._redis.scan_iter(match=f"{self._prefix}catalogue:*", count=500))
        if keys:
            self._redis.delete(*keys)
