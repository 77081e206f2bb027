"""Le correctif : les adhérents sans année de naissance empruntent de nouveau, et les autres règles
de la version 1.3.0 tiennent toujours."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 18)


def test_adherent_sans_annee_de_naissance_est_adulte():
    from mediatheque.rules import is_minor, max_loans

    assert is_minor(None, TODAY) is False and max_loans(None, TODAY) == 5


def test_pret_accorde_sans_annee_de_naissance():
    from mediatheque.rules import may_borrow

    assert may_borrow(date(2027, 1, 1), [date(2026, 12, 1)], None, TODAY) == (True, "ok")


def test_mineur_toujours_limite():
    from mediatheque.rules import max_loans, may_borrow

    dues = [date(2026, 12, 1)] * 3
    assert max_loans(2012, TODAY) == 3 and may_borrow(date(2027, 1, 1), dues, 2012, TODAY) == (False, "quota atteint")


def test_autres_regles_intactes():
    from mediatheque.rules import may_borrow

    assert may_borrow(date(2026, 1, 1), [], None, TODAY) == (False, "abonnement expiré")
    assert may_borrow(date(2027, 1, 1), [date(2026, 11, 1)], None, TODAY) == (False, "retard")
