"""Médiathèque de Lunéville : le catalogue.

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
BIBLIOTHEQUES = ["carrousel", "animations", "parallaxe", "infobulles", "polices", "statistiques"]
GRANDE = (120, 90)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def catalogue():
        return render_template("catalogue.html", livres=LIVRES, total=len(LIVRES), bibliotheques=BIBLIOTHEQUES)

    @app.get("/livre/<int:numero>")
    def livre(numero: int):
        if not 1 <= numero <= len(LIVRES):
            abort(404)
        return render_template("livre.html", livre=LIVRES[numero - 1], grande=GRANDE)

    @app.get("/couverture/<int:numero>.png")
    def image(numero: int):
        if not 1 <= numero <= len(LIVRES):
            abort(404)
        # Une seule taille, la photo « haute définition » de la couverture.
        return Response(couverture(numero, 120, 90, 0, True), mimetype="image/png")

    @app.get("/vendor/<nom>.js")
    def bibliotheque(nom: str):
        if nom not in BIBLIOTHEQUES:
            abort(404)
        corps = f"/* {nom} : bibliothèque d'effets visuels (version complète, non minifiée) */\n"
        corps += "".join(f"function {nom.replace('-', '_')}_{i}(element) {{ return element && element.style; }}\n" for i in range(1800))
        return Response(corps, mimetype="text/javascript")

    return app
