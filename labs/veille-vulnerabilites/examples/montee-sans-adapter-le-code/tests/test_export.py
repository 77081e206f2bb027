"""Tests of the export, run with the versions the project pins (`pytest tests`)."""

from export_catalogue.config import load_config
from export_catalogue.page import render_page
from export_catalogue.partner import partner_url
from export_catalogue.web import create_app

CONFIG = "titre: Nouveautés\ndocuments:\n  - {titre: Dune, annee: 1965}\n"


def test_load_config():
    assert load_config(CONFIG)["documents"][0]["titre"] == "Dune"


def test_page_escapes_titles():
    html = render_page({"titre": "<b>x</b>", "documents": []})
    assert "<b>" not in html


def test_partner_url_is_encoded():
    assert partner_url("https://api.example.org/livres", "978 2") == "https://api.example.org/livres?isbn=978+2&format=json"


def test_preview_page():
    response = create_app(CONFIG).test_client().get("/apercu")
    assert response.status_code == 200 and b"Dune" in response.data
