"""Le projet fonctionne avec les versions à jour des dépendances (celles de l'environnement de
correction : Flask 3, Jinja2 3.1.6, requests 2.32+, urllib3 2, PyYAML 6)."""

from __future__ import annotations

import pytest
import yaml

CONFIG = "titre: Nouveautés\ndocuments:\n  - {titre: Dune, annee: 1965}\n  - {titre: '<script>x</script>', annee: 2001}\n"


def test_configuration_lue():
    from export_catalogue.config import load_config

    assert load_config(CONFIG)["documents"][0] == {"titre": "Dune", "annee": 1965}


def test_configuration_refuse_les_objets_python():
    from export_catalogue.config import load_config

    with pytest.raises((yaml.YAMLError, ValueError)):
        load_config("!!python/object/apply:os.getcwd []\n")


def test_page_echappe_les_titres():
    from export_catalogue.page import render_page
    from export_catalogue.config import load_config

    html = render_page(load_config(CONFIG))
    assert "Dune (1965)" in html and "<script>" not in html and "&lt;script&gt;" in html


def test_url_du_partenaire():
    from export_catalogue.partner import partner_url

    assert partner_url("https://api.example.org/livres", "978 2&x") == \
        "https://api.example.org/livres?isbn=978+2%26x&format=json"


def test_apercu_web():
    from export_catalogue.web import create_app

    response = create_app(CONFIG).test_client().get("/apercu")
    assert response.status_code == 200 and b"Dune" in response.data
