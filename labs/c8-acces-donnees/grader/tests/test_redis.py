"""Composants Redis sur un vrai serveur : limitation des tentatives et cache avec expiration."""

import time


def keys(rds):
    return sorted(k.decode() for k in rds.scan_iter(count=1000))


def test_redis_limiteur_bloque_apres_le_maximum(store, rds):
    limiter = store.LoginRateLimiter(rds, prefix="test:", max_attempts=3, window_s=60)
    assert [limiter.register_failure("alice") for _ in range(3)] == [1, 2, 3]
    assert limiter.is_blocked("alice")
    assert not limiter.is_blocked("bruno")
    limiter.reset("alice")
    assert not limiter.is_blocked("alice")


def test_redis_limiteur_cles_prefixees_et_temporaires(store, rds):
    limiter = store.LoginRateLimiter(rds, prefix="test:", max_attempts=3, window_s=60)
    limiter.register_failure("alice")
    limiter.register_failure("bruno")
    found = keys(rds)
    assert len(found) == 2 and all(k.startswith("test:") for k in found)
    assert all(0 < rds.ttl(k) <= 60 for k in found), "chaque compteur doit expirer"


def test_redis_limiteur_fenetre_expiree(store, rds):
    limiter = store.LoginRateLimiter(rds, prefix="test:", max_attempts=2, window_s=1)
    limiter.register_failure("alice")
    limiter.register_failure("alice")
    assert limiter.is_blocked("alice")
    time.sleep(1.3)
    assert not limiter.is_blocked("alice")


def test_redis_cache_sert_la_valeur_en_cache(store, rds, catalogue, sql):
    cache = store.CatalogueCache(rds, catalogue, prefix="test:", ttl_s=60)
    first = cache.search("prince")
    assert first == catalogue.search("prince")
    sql.execute("UPDATE documents SET title = 'Le Petit Prince (édition illustrée)' WHERE id = 1")
    assert cache.search("prince") == first
    cache.invalidate()
    assert cache.search("prince")[0].title == "Le Petit Prince (édition illustrée)"


def test_redis_cache_cles_prefixees_et_temporaires(store, rds, catalogue):
    cache = store.CatalogueCache(rds, catalogue, prefix="test:", ttl_s=30)
    cache.search("prince")
    cache.search("e", kind="dvd")
    found = keys(rds)
    assert found and all(k.startswith("test:") for k in found)
    assert all(0 < rds.ttl(k) <= 30 for k in found), "chaque entrée du cache doit expirer"


def test_redis_cache_expire(store, rds, catalogue, sql):
    cache = store.CatalogueCache(rds, catalogue, prefix="test:", ttl_s=1)
    cache.search("prince")
    sql.execute("UPDATE documents SET title = 'Le Prince (réédition)' WHERE id = 5")
    time.sleep(1.3)
    assert [d.title for d in cache.search("prince")] == ["Le Petit Prince", "Le Prince (réédition)"]
