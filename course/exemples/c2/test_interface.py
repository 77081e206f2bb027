"""Tests unitaires de l'interface de recherche (client de test Flask, aucun navigateur)."""

import re

import pytest

from catalogue import create_app


@pytest.fixture
def client():
    return create_app().test_client()


def test_la_page_declare_sa_langue_et_etiquette_ses_champs(client):
    html = client.get("/catalogue").get_data(as_text=True)
    assert '<html lang="fr">' in html and "<title>Rechercher dans le catalogue" in html
    assert '<label for="q">' in html and 'id="q"' in html
    for code in ("tous", "livre", "bd", "cd", "dvd", "revue"):
        assert f'<label for="type-{code}">' in html
    assert "<legend>Type de document</legend>" in html


def test_une_recherche_vide_annonce_et_relie_l_erreur(client):
    reponse = client.get("/catalogue?q=&type=tous")
    html = reponse.get_data(as_text=True)
    assert reponse.status_code == 400 and 'role="alert"' in html and "<title>Erreur — " in html
    champ = re.search(r'<input type="search" id="q"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in champ and 'aria-describedby="q-indication q-erreur"' in champ
    assert 'id="q-erreur"' in html and 'href="#q"' in html


def test_un_type_inconnu_est_refuse_avec_un_message(client):
    reponse = client.get("/catalogue?q=prince&type=jeu")
    assert reponse.status_code == 400
    assert "Choisissez un type dans la liste" in reponse.get_data(as_text=True)


def test_les_resultats_sont_dans_un_tableau_avec_en_tetes(client):
    html = client.get("/catalogue?q=PRINCE&type=livre").get_data(as_text=True)
    assert "<caption>" in html and html.count('<th scope="col">') == 3
    assert "Le Petit Prince" in html and "Les Misérables" not in html
    assert 'value="PRINCE"' in html and 'id="type-livre" name="type" value="livre" checked' in html


def test_la_saisie_est_echappee_a_l_affichage(client):
    html = client.get("/catalogue?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;" in html
