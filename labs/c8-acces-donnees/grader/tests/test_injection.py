"""Injections SQL (CWE-89) par chaque fonction publique : ni modification, ni fuite de données."""

import pytest


PAYLOADS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "x'; DELETE FROM loans; --",
    "x' UNION SELECT id, card_number, last_name, first_name, email FROM members --",
    "Robert'); DROP TABLE members; --",
    "%",
    "_",
    "\\",
]
ID_PAYLOADS = ["1 OR 1=1", "1; DELETE FROM loans", "0) OR (1=1"]


def test_injection_recherche_adherents(members, sql, snapshot, marker):
    before = snapshot()
    for payload in [marker(), *PAYLOADS]:
        assert members.search(payload) == [], payload
    assert snapshot() == before


def test_injection_courriel(members, sql, errors, snapshot, marker):
    before = snapshot()
    for payload in [marker(), marker() + "@example.org", *PAYLOADS]:
        try:
            assert members.find_by_email(payload) is None, payload
        except errors.InvalidInputError:
            pass  # refuser l'entrée est aussi une bonne réponse
    assert snapshot() == before


def test_injection_recherche_catalogue(catalogue, sql, errors, snapshot, marker):
    before = snapshot()
    assert catalogue.search(marker()) == []
    for payload in PAYLOADS:
        assert catalogue.search(payload) == [], payload
        with pytest.raises(errors.InvalidInputError):
            catalogue.search("prince", kind=payload)
    assert snapshot() == before


def test_injection_stockee_telle_quelle(members, sql, snapshot, marker):
    before = snapshot()
    name, first_name = "O'Brien'); DELETE FROM loans; --", marker()
    added = members.add("M654321", name, first_name, f"{marker()}@example.org")
    assert members.get(added.id).last_name == name
    assert members.get(added.id).first_name == first_name
    after = snapshot()
    assert {t: rows for t, rows in after.items() if t != "members"} == {
        t: rows for t, rows in before.items() if t != "members"}
    assert len(after["members"]) == len(before["members"]) + 1


@pytest.mark.parametrize("payload", ID_PAYLOADS)
def test_injection_identifiants(members, catalogue, loans, sql, errors, payload, today, snapshot):
    before = snapshot()
    calls = [
        lambda: members.get(payload),
        lambda: catalogue.available_items(payload),
        lambda: loans.current_loans(payload),
        lambda: loans.return_item(payload, today),
        lambda: loans.lend(payload, [106], today),
        lambda: loans.lend(1, [payload], today),
    ]
    for call in calls:
        with pytest.raises(errors.InvalidInputError):
            call()
    assert snapshot() == before


def test_injection_cles_redis(store, rds, marker):
    limiter = store.LoginRateLimiter(rds, prefix="test:", max_attempts=3, window_s=60)
    rds.set("test:autre-cle", "conservee")
    limiter.register_failure("alice")
    for login in [marker("*"), "*", "alice\r\nFLUSHALL\r\n", "' OR '1'='1", "test:*", "alice*"]:
        assert limiter.register_failure(login) == 1
        assert not limiter.is_blocked(login)
        limiter.reset(login)
    assert rds.get("test:autre-cle") == b"conservee"
    assert limiter.register_failure("alice") == 2  # reset("alice*") did not touch alice's counter


def test_injection_cache_catalogue(store, rds, catalogue, sql, snapshot, marker):
    cache = store.CatalogueCache(rds, catalogue, prefix="test:", ttl_s=60)
    before = snapshot()
    for payload in [marker(), *PAYLOADS]:
        assert cache.search(payload) == [], payload
    assert cache.search("prince") == catalogue.search("prince")
    assert snapshot() == before
