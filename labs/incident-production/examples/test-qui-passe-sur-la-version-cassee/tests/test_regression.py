"""Test de non-régression de l'incident du 18 novembre."""

from datetime import date

from mediatheque.rules import max_loans

TODAY = date(2026, 11, 18)


def test_quota_d_un_mineur():
    assert max_loans(2012, TODAY) == 3


def test_quota_d_un_adulte():
    assert max_loans(1980, TODAY) == 5
