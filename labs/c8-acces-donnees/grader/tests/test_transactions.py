"""Transactions : une opération qui échoue en cours de route ne laisse rien d'écrit."""

import pytest


FAIL_ON_ITEM_110 = """
CREATE OR REPLACE FUNCTION test_panne() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'panne simulée pendant l''écriture';
END $$;
CREATE TRIGGER test_panne BEFORE INSERT ON loans FOR EACH ROW WHEN (NEW.item_id = 110)
EXECUTE FUNCTION test_panne();
"""


@pytest.fixture
def panne(sql):
    sql.execute(FAIL_ON_ITEM_110)
    yield
    sql.execute("DROP TRIGGER IF EXISTS test_panne ON loans; DROP FUNCTION IF EXISTS test_panne()")


def test_transaction_panne_au_milieu_du_pret(loans, sql, errors, panne, today, snapshot, active_loan):
    before = snapshot()
    with pytest.raises(errors.MediathequeError):
        loans.lend(2, [106, 109, 110], today)
    assert active_loan(106) is None and active_loan(109) is None
    assert snapshot() == before


def test_transaction_exemplaire_deja_prete_en_fin_de_liste(loans, sql, errors, today, snapshot):
    before = snapshot()
    with pytest.raises(errors.ConflictError):
        loans.lend(1, [106, 109, 102], today)
    assert snapshot() == before


def test_transaction_exemplaire_inconnu_en_fin_de_liste(loans, sql, errors, today, snapshot):
    before = snapshot()
    with pytest.raises(errors.NotFoundError):
        loans.lend(1, [106, 9999], today)
    assert snapshot() == before


def test_transaction_limite_de_prets(loans, sql, errors, today, snapshot):
    before = snapshot()
    with pytest.raises(errors.ConflictError):
        loans.lend(3, [106, 109], today)
    assert snapshot() == before
    assert len(loans.lend(3, [106], today)) == 1
