"""Tests du mot de passe et de la limitation des tentatives (sans attaque : on vérifie le fonctionnement)."""

from conftest import AUJOURDHUI


def test_force_brute_bloquee_apres_cinq_echecs(adherents):
    for _ in range(5):
        adherents.authenticate("M000001", "essai-au-hasard")
    assert adherents.is_blocked("M000001")


def test_mot_de_passe_trop_court_refuse(adherents, sql):
    membre, erreurs = adherents.register({"nom": "Roux", "prenom": "Eden", "courriel": "eden@exemple.fr",
                                          "mot_de_passe": "court"}, AUJOURDHUI)
    assert membre is None and "mot_de_passe" in erreurs
