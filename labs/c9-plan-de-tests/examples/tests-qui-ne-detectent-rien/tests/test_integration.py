"""Tests d'intégration : les services répondent sur la vraie base (sans vérifier les règles)."""

from conftest import ADULTE, AUJOURDHUI, MOT_DE_PASSE, MINEUR


def test_recherche_par_fragment_du_titre(catalogue):
    assert isinstance(catalogue.search("germ"), list)


def test_recherche_filtree_par_type(catalogue):
    assert isinstance(catalogue.search("a", "bd"), list)


def test_inscription_attribue_un_numero_de_carte(adherents):
    membre, erreurs = adherents.register({"nom": "Leroy", "prenom": "Nour", "courriel": "nour@exemple.fr",
                                          "mot_de_passe": "un-mot-de-passe-long"}, AUJOURDHUI)
    assert membre is not None


def test_connexion_par_numero_de_carte(adherents):
    assert adherents.authenticate("M000001", MOT_DE_PASSE) == ADULTE


def test_emprunt_enregistre_avec_sa_date_de_retour(prets):
    assert prets.borrow(ADULTE, 1, AUJOURDHUI) is not None


def test_emprunt_refuse_les_jours_de_fermeture(prets):
    assert prets.borrow(ADULTE, 2, AUJOURDHUI) is not None


def test_quota_du_mineur_atteint_en_base(sql):
    assert sql("SELECT count(*) FROM loans WHERE member_id = %s", (MINEUR,)) == [(3,)]


def test_pret_refuse_a_l_adherent_en_retard(sql):
    assert sql("SELECT count(*) FROM members") == [(4,)]


def test_pret_refuse_abonnement_expire(sql):
    assert sql("SELECT count(*) FROM documents") == [(4,)]


def test_page_de_connexion_du_site(navigateur):
    assert navigateur.get("/connexion").status_code == 200
