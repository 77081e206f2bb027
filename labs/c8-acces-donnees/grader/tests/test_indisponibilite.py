"""Base ou Redis injoignables : des erreurs du domaine claires, sans fuite du mot de passe."""

import psycopg
import pytest
import redis



def assert_clear(exc, errors, secret):
    assert isinstance(exc, errors.DataUnavailableError)
    assert not isinstance(exc, (psycopg.Error, redis.RedisError))
    text = str(exc)
    assert text.strip(), "le message d'erreur est vide"
    assert secret not in text and secret not in repr(exc.args)


def test_indisponibilite_adherents(repos, errors, unreachable_db, secret):
    with pytest.raises(errors.DataUnavailableError) as caught:
        repos.MemberRepository(unreachable_db).get(1)
    assert_clear(caught.value, errors, secret)


def test_indisponibilite_catalogue(repos, errors, unreachable_db, secret):
    with pytest.raises(errors.DataUnavailableError) as caught:
        repos.CatalogueRepository(unreachable_db).search("prince")
    assert_clear(caught.value, errors, secret)


def test_indisponibilite_pret(repos, errors, unreachable_db, today, secret):
    with pytest.raises(errors.DataUnavailableError) as caught:
        repos.LoanRepository(unreachable_db).lend(1, [106], today)
    assert_clear(caught.value, errors, secret)


def test_indisponibilite_limiteur_redis(store, errors, dead_redis):
    limiter = store.LoginRateLimiter(dead_redis, prefix="test:", max_attempts=3, window_s=60)
    with pytest.raises(errors.DataUnavailableError):
        limiter.register_failure("alice")
    with pytest.raises(errors.DataUnavailableError):
        limiter.is_blocked("alice")


def test_indisponibilite_cache_redis_repli_sur_la_base(store, catalogue, dead_redis):
    cache = store.CatalogueCache(dead_redis, catalogue, prefix="test:", ttl_s=60)
    assert [d.id for d in cache.search("prince")] == [1, 5]
