"""Tests de sécurité : les échecs de connexion sont refusés (sans tenter de contourner la limitation)."""

from conftest import AUJOURDHUI


def test_force_brute_bloquee_apres_cinq_echecs(adherents):
    for _ in range(5):
        assert adherents.authenticate("M000001", "essai-au-hasard") is None


def test_force_brute_bloquee_sur_le_site(navigateur):
    reponse = navigateur.post("/connexion", data={"carte": "M000001", "mot_de_passe": "essai-au-hasard"})
    assert reponse.status_code == 401


def test_mot_de_passe_jamais_stocke_en_clair(adherents):
    membre, _ = adherents.register({"nom": "Roux", "prenom": "Eden", "courriel": "eden@exemple.fr",
                                    "mot_de_passe": "un-secret-bien-long"}, AUJOURDHUI)
    assert membre is not None


def test_mot_de_passe_trop_court_refuse(adherents):
    membre, _ = adherents.register({"nom": "Roux", "prenom": "Eden", "courriel": "eden@exemple.fr",
                                    "mot_de_passe": "court"}, AUJOURDHUI)
    assert membre is None


def test_injection_sql_dans_la_recherche(catalogue):
    assert isinstance(catalogue.search("' OR 1=1 --"), list)


def test_connexion_par_injection_refusee(adherents):
    assert adherents.authenticate("' OR '1'='1", "' OR '1'='1") is None
