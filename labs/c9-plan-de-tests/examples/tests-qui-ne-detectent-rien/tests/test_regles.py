"""Tests unitaires des règles : on vérifie que les fonctions répondent (sans vérifier la valeur attendue)."""

from datetime import date

import pytest

from mediatheque import rules

MARDI = date(2031, 3, 18)


@pytest.mark.parametrize("genre", ["livre", "bd", "dvd", "revue"])
def test_duree_du_pret_selon_le_type(genre):
    assert rules.due_date(MARDI, genre) > MARDI


def test_type_inconnu_refuse():
    with pytest.raises(ValueError):
        rules.due_date(MARDI, "roman")


def test_retour_reporte_au_mardi_si_jour_de_fermeture():
    assert rules.due_date(date(2031, 3, 16), "dvd") > date(2031, 3, 16)


def test_quota_adulte_et_mineur():
    assert rules.max_loans(1990, MARDI) > 0
    assert rules.max_loans(2020, MARDI) > 0


def test_pret_refuse_en_cas_de_retard():
    assert rules.may_borrow(date(2031, 12, 31), [], 1990, MARDI) == (True, "ok")


def test_abonnement_expire_refuse_en_premier():
    assert rules.may_borrow(date(2031, 12, 31), [], 1990, MARDI)[0]


def test_quota_atteint():
    assert rules.may_borrow(date(2031, 12, 31), [date(2031, 4, 1)], 1990, MARDI)[0]


@pytest.mark.parametrize("jours", [0, 3, 60])
def test_penalites_de_retard(jours):
    assert rules.late_fee(jours) >= 0


def test_penalites_valeurs_invalides():
    with pytest.raises(ValueError):
        rules.late_fee(-1)
