"""Le catalogue allégé garde tout son contenu (RGESN 6.1, 6.4, 6.5 ; EcoIndex mesuré à part)."""

from __future__ import annotations

import re

TOUS = {f"Titre du livre n° {i}" for i in range(1, 121)}


def titres(html: str) -> set[str]:
    return set(re.findall(r"Titre du livre n° \d+", html))


def test_tout_le_catalogue_reste_accessible(catalogue):
    vus = set()
    for _url, html in catalogue:
        vus |= titres(html)
    assert vus == TOUS, f"{len(TOUS - vus)} livre(s) introuvables en suivant « Page suivante »"


def test_catalogue_pagine(catalogue):
    assert len(catalogue) >= 4, "le catalogue doit être découpé en pages (« Page suivante »)"
    assert all(len(titres(html)) <= 30 for _url, html in catalogue), "30 livres par page au plus"


def test_page_precedente(client, catalogue):
    _url, html = catalogue[1]
    assert re.search(r"Page précédente|rel=\"prev\"", html)


def test_chaque_livre_a_sa_fiche(client):
    html = client.get("/livre/42").get_data(as_text=True)
    assert "Titre du livre n° 42" in html and "Résumé du livre n° 42" in html


def test_vignettes_legeres(client, catalogue):
    _url, html = catalogue[0]
    sources = re.findall(r'<img\s[^>]*src="([^"]+)"', html)
    assert sources, "les vignettes des couvertures restent affichées"
    for source in sources[:5]:
        poids = len(client.get(source.replace("&amp;", "&")).data)
        assert poids <= 5_000, f"vignette de {poids} octets : servez une image aux dimensions d'affichage"


def test_images_dimensionnees(catalogue):
    _url, html = catalogue[0]
    for tag in re.findall(r"<img\s[^>]*>", html):
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag), f"dimensions absentes : {tag}"


def test_pas_de_code_inutile(client, catalogue):
    _url, html = catalogue[0]
    scripts = re.findall(r'<script\s[^>]*src="([^"]+)"', html)
    poids = sum(len(client.get(s).data) for s in scripts)
    assert poids <= 30_000, f"{len(scripts)} script(s), {poids} octets de JavaScript pour une page sans interaction"


def test_dom_raisonnable(catalogue):
    _url, html = catalogue[0]
    elements = len(re.findall(r"<[a-zA-Z]", html))
    assert elements <= 400, f"{elements} éléments HTML pour une page de catalogue"


def test_ressources_statiques_en_cache(client):
    response = client.get("/static/style.css")
    assert "max-age" in response.headers.get("Cache-Control", ""), "RGESN 6.2 : mettre en cache les ressources statiques"
