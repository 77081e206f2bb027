"""Médiathèque de Lunéville : le catalogue, sobre (éco-conception, RGESN).

Lancer : `python -m mediatheque` puis ouvrir http://127.0.0.1:5000
"""

from __future__ import annotations

from flask import Flask, Response, abort, render_template, request

from mediatheque.images import couverture

AUTEURS = ["Victor Hugo", "Émile Zola", "George Sand", "Gustave Flaubert", "Colette", "Jules Verne",
           "Marguerite Duras", "Albert Camus", "Honoré de Balzac", "Simone de Beauvoir"]
GENRES = ["Roman", "Nouvelles", "Théâtre", "Poésie", "Essai"]
LIVRES = [
    {"id": i, "titre": f"Titre du livre n° {i}", "auteur": AUTEURS[i % len(AUTEURS)], "genre": GENRES[i % len(GENRES)],
     "annee": 1850 + (i * 7) % 170, "resume": f"Résumé du livre n° {i} : une histoire qui se lit d'une traite."}
    for i in range(1, 121)
]
PAR_PAGE = 20
BIBLIOTHEQUES = ["carrousel", "animations", "parallaxe", "infobulles", "polices", "statistiques"]
VIGNETTE = (48, 72)
GRANDE = (200, 300)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.after_request
    def cache(response):
        if request.path.startswith(("/static/", "/couverture/")):
            response.headers["Cache-Control"] = "public, max-age=604800"
        return response

    @app.get("/")
    def catalogue():
        pages = (len(LIVRES) + PAR_PAGE - 1) // PAR_PAGE
        page = min(max(request.args.get("page", 1, type=int), 1), pages)
        livres = LIVRES[(page - 1) * PAR_PAGE: page * PAR_PAGE]
        return render_template("catalogue.html", livres=livres, page=page, pages=pages, total=len(LIVRES),
                               vignette=VIGNETTE, bibliotheques=BIBLIOTHEQUES)

    @app.get("/livre/<int:numero>")
    def livre(numero: int):
        if not 1 <= numero <= len(LIVRES):
            abort(404)
        return render_template("livre.html", livre=LIVRES[numero - 1], grande=GRANDE)

    @app.get("/vendor/<nom>.js")
    def bibliotheque(nom: str):
        if nom not in BIBLIOTHEQUES:
            abort(404)
        corps = f"/* {nom} : bibliothèque d'effets visuels (version complète, non minifiée) */\n"
        corps += "".join(f"function {nom.replace('-', '_')}_{i}(element) {{ return element && element.style; }}\n" for i in range(1800))
        return Response(corps, mimetype="text/javascript")

    @app.get("/couverture/<int:numero>.png")
    def image(numero: int):
        if not 1 <= numero <= len(LIVRES):
            abort(404)
        largeur, hauteur = GRANDE if request.args.get("taille") == "grande" else VIGNETTE
        return Response(couverture(numero, largeur, hauteur), mimetype="image/png")

    return app
