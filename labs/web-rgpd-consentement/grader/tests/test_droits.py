"""Droits des personnes (CNIL fiche 13), information (fiche 12), durée du choix (fiche 16)."""

from __future__ import annotations

import json
import re


def cookie_header(response, name):
    return next((v for v in response.headers.getlist("Set-Cookie") if v.startswith(name + "=")), None)


def test_export_reserve_a_l_adherent_connecte(client):
    response = client.get("/compte/export")
    assert response.status_code in (302, 401, 403)


def test_export_contient_toutes_les_donnees(connecte):
    response = connecte.get("/compte/export")
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))
    for key, value in {"nom": "Martin", "prenom": "Camille", "courriel": "camille@exemple.fr"}.items():
        assert data.get(key) == value, f"export : {key} manquant"
    assert "telephone" in data, "export : toutes les données de l'adhérent, téléphone compris"
    livres = {p.get("livre") for p in data.get("prets", [])}
    assert {"Germinal", "Bel-Ami"} <= livres and "Madame Bovary" not in livres


def test_export_sans_mot_de_passe(connecte):
    text = connecte.get("/compte/export").get_data(as_text=True)
    assert "mot_de_passe" not in text and "pbkdf2" not in text and "scrypt" not in text


def test_export_telechargeable(connecte):
    response = connecte.get("/compte/export")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers.get("Content-Disposition", "")


CAMILLE_EN_BASE = "SELECT count(*) FROM members WHERE email = 'camille@exemple.fr' OR last_name = 'Martin'"


def test_effacement_demande_confirmation(connecte, sql):
    response = connecte.post("/compte/supprimer", data={})
    assert response.status_code in (200, 400)
    assert sql(CAMILLE_EN_BASE) == [(1,)]


def test_effacement_supprime_le_compte(connecte, app, sql):
    response = connecte.post("/compte/supprimer", data={"confirmation": "oui"})
    assert response.status_code in (200, 302, 303)
    assert sql(CAMILLE_EN_BASE) == [(0,)], "l'identité de l'adhérent doit disparaître de la base"
    again = app.test_client().post("/connexion", data={"courriel": "camille@exemple.fr", "mot_de_passe": "lecture2031"})
    assert again.status_code not in (302, 303), "le compte supprimé ne doit plus permettre de se connecter"


def test_effacement_anonymise_les_prets(connecte, sql):
    connecte.post("/compte/supprimer", data={"confirmation": "oui"})
    assert sql("SELECT count(*) FROM loans") == [(5,)], "l'historique (statistiques de prêt) est gardé"
    designent = sql("SELECT count(*) FROM loans AS l JOIN members AS m ON m.id = l.member_id "
                    "WHERE m.email = 'camille@exemple.fr' OR m.last_name = 'Martin'")
    assert designent == [(0,)], "les prêts ne doivent plus désigner l'adhérent"
    assert sql("SELECT count(*) FROM loans AS l JOIN members AS m ON m.id = l.member_id "
               "WHERE m.email = 'sacha@exemple.fr'") == [(3,)], "les prêts des autres adhérents restent"


def test_effacement_ferme_la_session(connecte):
    connecte.post("/compte/supprimer", data={"confirmation": "oui"})
    assert connecte.get("/compte/export").status_code in (302, 401, 403)


def test_information_sur_les_donnees(client):
    text = client.get("/donnees-personnelles").get_data(as_text=True).lower()
    for mot in ("finalit", "conservation", "droit", "cnil", "dpo"):
        assert mot in text, f"la page données personnelles doit parler de « {mot} »"


def test_choix_conserve_six_mois_au_plus(client):
    for choix in ("refuser", "accepter"):
        response = client.post("/consentement", data={"choix": choix, "retour": "/"})
        header = cookie_header(response, "consentement")
        assert header is not None, "le choix est mémorisé dans le cookie « consentement »"
        age = re.search(r"Max-Age=(\d+)", header)
        assert age and int(age.group(1)) <= 183 * 86400, "choix conservé 6 mois au plus (CNIL)"


def test_aucun_traceur_sans_consentement(client):
    html = client.get("/").get_data(as_text=True)
    assert "stats.audience-exemple.fr" not in html
    client.post("/consentement", data={"choix": "refuser", "retour": "/"})
    response = client.get("/catalogue")
    assert "stats.audience-exemple.fr" not in response.get_data(as_text=True)
    assert cookie_header(response, "_pk_id") is None
