"""Tests visibles du lab C8 (les tests cachés vont plus loin : injections, transactions, pannes...).

En local : DATABASE_URL (base chargée avec db/schema.sql) et REDIS_URL doivent être définis, par exemple
DATABASE_URL=postgresql://moi@/mediatheque_c8?host=/var/run/postgresql REDIS_URL=redis://localhost:6379/15
"""

import pytest


def test_adherent_ajoute_puis_relu(members):
    added = members.add("M123456", "Nouveau", "Nina", "nina.nouveau@example.org")
    assert members.get(added.id) == added


def test_adherent_inconnu(members, errors):
    with pytest.raises(errors.NotFoundError):
        members.get(9999)


def test_catalogue_recherche(catalogue):
    assert [d.id for d in catalogue.search("prince")] == [1, 5]


def test_pret_puis_retour(loans, catalogue, today):
    loans.lend(1, [106], today)
    assert [l.item_id for l in loans.current_loans(1)] == [102, 106]
    loans.return_item(106, today)
    assert [l.item_id for l in loans.current_loans(1)] == [102]


def test_validation_identifiant(members, errors):
    with pytest.raises(errors.InvalidInputError):
        members.get("1 OR 1=1")


def test_limiteur_de_tentatives(store, rds):
    limiter = store.LoginRateLimiter(rds, prefix="test:", max_attempts=2, window_s=60)
    limiter.register_failure("alice")
    assert not limiter.is_blocked("alice")
    limiter.register_failure("alice")
    assert limiter.is_blocked("alice")
