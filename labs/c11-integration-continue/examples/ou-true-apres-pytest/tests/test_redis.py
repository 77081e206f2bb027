"""Composants Redis : limitation des tentatives de connexion, cache du catalogue."""

from mediatheque.redis_store import CatalogueCache, LoginRateLimiter
from mediatheque.repositories import CatalogueRepository
from tests.test_depots import add_document


def test_limitation_des_tentatives(cache):
    limiter = LoginRateLimiter(cache, max_attempts=3, window_s=60)
    for _ in range(3):
        limiter.register_failure("M000001")
    assert limiter.is_blocked("M000001") and not limiter.is_blocked("M000002")
    limiter.reset("M000001")
    assert not limiter.is_blocked("M000001")


def test_cache_du_catalogue(db, cache):
    add_document(db, "Le Petit Prince")
    catalogue = CatalogueCache(cache, CatalogueRepository(db), ttl_s=60)
    assert [d.title for d in catalogue.search("prince")] == ["Le Petit Prince"]
    add_document(db, "Le Prince de Motordu")
    assert len(catalogue.search("prince")) == 1  # servi par le cache
    catalogue.invalidate()
    assert len(catalogue.search("prince")) == 2
