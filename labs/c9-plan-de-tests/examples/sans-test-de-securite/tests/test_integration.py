"""Tests d'intégration : services et dépôts sur la vraie base PostgreSQL et le vrai Redis (conftest.py)."""

import re

import pytest

from conftest import ADULTE, AUJOURDHUI, EN_RETARD, EXPIRE, MINEUR, MOT_DE_PASSE
from mediatheque.errors import ConflictError, InvalidInputError


def test_recherche_par_fragment_du_titre(catalogue):
    assert [d.title for d in catalogue.search("germ")] == ["Germinal"]
    assert [d.title for d in catalogue.search("ZOLA")] == ["Germinal"]  # l'auteur aussi, sans la casse


def test_recherche_filtree_par_type(catalogue):
    assert {d.kind for d in catalogue.search("a", "bd")} == {"bd"}
    with pytest.raises(InvalidInputError):
        catalogue.search("a", "roman")


def test_inscription_attribue_un_numero_de_carte(adherents, sql):
    membre, erreurs = adherents.register({"nom": "Leroy", "prenom": "Nour", "courriel": "Nour@Exemple.fr",
                                          "annee_naissance": "2001", "mot_de_passe": "un-mot-de-passe-long"}, AUJOURDHUI)
    assert erreurs == {} and re.fullmatch(r"M[0-9]{6}", membre.card_number)
    assert sql("SELECT email, birth_year FROM members WHERE id = %s", (membre.id,)) == [("nour@exemple.fr", 2001)]


def test_connexion_par_numero_de_carte(adherents):
    assert adherents.authenticate("M000001", MOT_DE_PASSE) == ADULTE
    assert adherents.authenticate("m000001 ", MOT_DE_PASSE) == ADULTE
    assert adherents.authenticate("M000001", "mauvais-mot-de-passe") is None


def test_emprunt_enregistre_avec_sa_date_de_retour(prets, sql):
    pret = prets.borrow(ADULTE, 1, AUJOURDHUI)
    assert str(pret.due_on) == "2031-04-08"
    assert sql("SELECT member_id, due_on::text FROM loans WHERE item_id = 1 AND returned_on IS NULL") == [(ADULTE, "2031-04-08")]


def test_emprunt_refuse_les_jours_de_fermeture(prets):
    from datetime import date

    with pytest.raises(ConflictError):
        prets.borrow(ADULTE, 1, date(2031, 3, 17))  # un lundi


def test_quota_du_mineur_atteint_en_base(prets, sql):
    with pytest.raises(ConflictError, match="quota"):
        prets.borrow(MINEUR, 1, AUJOURDHUI)
    assert sql("SELECT count(*) FROM loans WHERE member_id = %s", (MINEUR,)) == [(3,)]


def test_pret_refuse_a_l_adherent_en_retard(prets):
    with pytest.raises(ConflictError, match="retard"):
        prets.borrow(EN_RETARD, 1, AUJOURDHUI)


def test_pret_refuse_abonnement_expire(prets):
    with pytest.raises(ConflictError, match="abonnement"):
        prets.borrow(EXPIRE, 1, AUJOURDHUI)


def test_page_de_connexion_du_site(navigateur):
    assert navigateur.get("/connexion").status_code == 200
    reponse = navigateur.post("/connexion", data={"carte": "M000001", "mot_de_passe": MOT_DE_PASSE})
    assert reponse.status_code == 302 and reponse.headers["Location"].endswith("/compte")
