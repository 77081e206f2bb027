"""Test de non-régression de l'incident du 18 novembre : la version 1.3.1 refusait (erreur 500) les
prêts des adhérents sans année de naissance (comptes antérieurs à l'année de naissance obligatoire)."""

from datetime import date

from mediatheque.rules import is_minor, may_borrow

TODAY = date(2026, 11, 18)


def test_adherent_sans_annee_de_naissance_est_traite_en_adulte():
    assert is_minor(None, TODAY) is False


def test_pret_accorde_a_un_adherent_sans_annee_de_naissance():
    assert may_borrow(date(2027, 1, 1), [], None, TODAY) == (True, "ok")
