"""Tests unitaires des règles de gestion (mediatheque/rules.py) : ni base, ni Redis."""

from datetime import date
from decimal import Decimal

import pytest

from mediatheque import rules

MARDI = date(2031, 3, 18)


@pytest.mark.parametrize("genre, attendu", [("livre", date(2031, 4, 8)), ("bd", date(2031, 4, 1)),
                                            ("dvd", date(2031, 3, 25)), ("revue", date(2031, 3, 25))])
def test_duree_du_pret_selon_le_type(genre, attendu):
    assert rules.due_date(MARDI, genre) == attendu


def test_type_inconnu_refuse():
    with pytest.raises(ValueError):
        rules.due_date(MARDI, "roman")


def test_retour_reporte_au_mardi_si_jour_de_fermeture():
    dimanche = date(2031, 3, 16)
    assert rules.due_date(dimanche, "dvd") == date(2031, 3, 25)  # dimanche 23 -> mardi 25
    assert rules.due_date(date(2031, 3, 17), "revue") == date(2031, 3, 25)  # lundi 24 -> mardi 25


def test_quota_adulte_et_mineur():
    assert rules.max_loans(1990, MARDI) == 5
    assert rules.max_loans(2020, MARDI) == 3
    assert rules.max_loans(2013, MARDI) == 5  # 18 ans dans l'année : majeur
    assert rules.max_loans(None, MARDI) == 5  # année non renseignée : adulte


def test_pret_refuse_en_cas_de_retard():
    assert rules.may_borrow(date(2031, 12, 31), [date(2031, 3, 17)], 1990, MARDI) == (False, "retard")
    assert rules.may_borrow(date(2031, 12, 31), [date(2031, 3, 18)], 1990, MARDI) == (True, "ok")


def test_abonnement_expire_refuse_en_premier():
    assert rules.may_borrow(date(2031, 3, 17), [date(2031, 3, 1)], 1990, MARDI) == (False, "abonnement expiré")
    assert rules.may_borrow(MARDI, [], 1990, MARDI) == (True, "ok")


def test_quota_atteint():
    dues = [date(2031, 4, 1)] * 3
    assert rules.may_borrow(date(2031, 12, 31), dues, 2020, MARDI) == (False, "quota atteint")
    assert rules.may_borrow(date(2031, 12, 31), dues, 1990, MARDI) == (True, "ok")


@pytest.mark.parametrize("jours, documents, attendu", [(0, 1, "0.00"), (2, 1, "0.00"), (3, 1, "0.45"),
                                                       (10, 2, "3.00"), (60, 1, "8.00"), (60, 3, "24.00")])
def test_penalites_de_retard(jours, documents, attendu):
    assert rules.late_fee(jours, documents) == Decimal(attendu)


def test_penalites_valeurs_invalides():
    with pytest.raises(ValueError):
        rules.late_fee(-1)
