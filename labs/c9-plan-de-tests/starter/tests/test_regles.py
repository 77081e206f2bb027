"""Tests unitaires des règles de gestion (mediatheque/rules.py) : ni base, ni Redis. Un exemple, à compléter."""

from decimal import Decimal

from mediatheque import rules


def test_penalites_de_retard():
    assert rules.late_fee(2) == Decimal("0.00")
    assert rules.late_fee(3) == Decimal("0.45")
