"""Composants Redis — à écrire : limitation des tentatives de connexion et cache du catalogue.
Toutes les clés commencent par `prefix` et expirent (EXPIRE / SET ... EX)."""

from __future__ import annotations

from mediatheque.repositories import CatalogueRepository, Document


class LoginRateLimiter:
    def __init__(self, client, *, prefix: str = "mediatheque:", max_attempts: int = 5, window_s: int = 900) -> None:
        self._redis = client
        self._prefix = prefix
        self._max = max_attempts
        self._window = window_s

    def register_failure(self, login: str) -> int:
        raise NotImplementedError("LoginRateLimiter.register_failure")

    def is_blocked(self, login: str) -> bool:
        raise NotImplementedError("LoginRateLimiter.is_blocked")

    def reset(self, login: str) -> None:
        raise NotImplementedError("LoginRateLimiter.reset")


class CatalogueCache:
    def __init__(self, client, catalogue: CatalogueRepository, *, prefix: str = "mediatheque:", ttl_s: int = 300) -> None:
        self._redis = client
        self._catalogue = catalogue
        self._prefix = prefix
        self._ttl = ttl_s

    def search(self, title_fragment: str, kind: str | None = None) -> list[Document]:
        raise NotImplementedError("CatalogueCache.search")

    def invalidate(self) -> None:
        raise NotImplementedError("CatalogueCache.invalidate")
