"""Durcissement côté navigateur (ANSSI) sur toutes les réponses, pas seulement les pages auditées."""

from __future__ import annotations

import re

import pytest

CHEMINS = ["/", "/connexion", "/compte", "/static/style.css", "/page-qui-n-existe-pas"]


def csp_scripts(value: str) -> list[str]:
    directives = {}
    for part in value.split(";"):
        tokens = part.strip().split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives.get("script-src", directives.get("default-src", ["*"]))


@pytest.mark.parametrize("chemin", CHEMINS)
def test_csp_sans_script_en_ligne(client, chemin):
    value = client.get(chemin).headers.get("Content-Security-Policy", "")
    assert value, f"{chemin} : pas de Content-Security-Policy"
    scripts = csp_scripts(value)
    assert "'unsafe-inline'" not in scripts and "*" not in scripts
    assert "frame-ancestors" in value


@pytest.mark.parametrize("chemin", CHEMINS)
def test_en_tetes_de_base(client, chemin):
    headers = client.get(chemin).headers
    assert headers.get("X-Content-Type-Options", "").lower() == "nosniff", chemin
    assert headers.get("Referrer-Policy"), chemin
    assert re.search(r"max-age=\d{7,}", headers.get("Strict-Transport-Security", "")), f"{chemin} : HSTS d'au moins ~4 mois"


def test_pas_de_script_en_ligne_dans_les_pages(client):
    for chemin in ("/", "/connexion"):
        html = client.get(chemin).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{chemin} : script en ligne"
        assert not re.search(r"\son[a-z]+=", html), f"{chemin} : attribut de gestionnaire d'événement (onclick…)"


def test_cookie_de_session_durci(app):
    assert app.config.get("SESSION_COOKIE_HTTPONLY") is True
    assert app.config.get("SESSION_COOKIE_SECURE") is True
    assert str(app.config.get("SESSION_COOKIE_SAMESITE")).lower() in ("lax", "strict")


def test_connexion_pose_un_cookie_durci(client):
    response = client.post("/connexion", data={"courriel": "camille@exemple.fr", "mot_de_passe": "lecture2031"})
    assert response.status_code in (302, 303)
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    lowered = cookie.lower()
    assert "httponly" in lowered and "secure" in lowered and re.search(r"samesite=(lax|strict)", lowered)


def test_pas_de_mode_debug(app):
    assert not app.debug, "l'application ne doit pas tourner en mode debug"


def test_page_404_generique(client):
    response = client.get("/page-qui-n-existe-pas")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "werkzeug" not in text.lower()


def test_erreur_interne_sans_trace(client):
    response = client.get("/?page=%27%22")
    assert response.status_code in (200, 400, 404, 500)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "File \"" not in text and "ValueError" not in text


def test_secret_hors_du_code(module):
    source = open(module.__file__, encoding="utf-8").read()
    assert not re.search(r"SECRET_KEY\s*=\s*['\"][^'\"]+['\"]|secret_key\s*=\s*['\"][^'\"]+['\"]", source), \
        "la clé secrète ne doit pas être écrite dans le code"
