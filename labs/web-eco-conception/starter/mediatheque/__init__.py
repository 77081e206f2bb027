"""Médiathèque de Lunéville : le catalogue.

Le catalogue est celui de la médiathèque de référence (PostgreSQL, table `documents`), lu par ses
dépôts (`repositories.py`). Lancer : `DATABASE_URL=... python -m mediatheque` puis ouvrir
http://127.0.0.1:5000 (base chargée depuis db/mediatheque.sql).
"""

from __future__ import annotations

import os

from flask import Flask, Response, abort, render_template

from mediatheque.database import Database
from mediatheque.errors import InvalidInputError, NotFoundError
from mediatheque.images import couverture
from mediatheque.repositories import CatalogueRepository, Document

BIBLIOTHEQUES = ["carrousel", "animations", "parallaxe", "infobulles", "polices", "statistiques"]
GRANDE = (120, 90)


def affichage(document: Document) -> dict:
    """Ce que les pages affichent d'un document du catalogue."""
    return {"id": document.id, "titre": document.title, "auteur": document.author, "genre": document.kind,
            "annee": document.year, "resume": document.summary}


def create_app(config: dict | None = None) -> Flask:
    url = (config or {}).get("DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("DATABASE_URL est requis (base PostgreSQL chargée depuis db/mediatheque.sql)")
    app = Flask(__name__)
    documents = CatalogueRepository(Database(url))

    def fiche(numero: int) -> Document:
        try:
            return documents.get(numero)
        except (NotFoundError, InvalidInputError):
            abort(404)

    @app.get("/")
    def catalogue():
        trouves, total = documents.page(1, 10_000)  # tout le catalogue
        return render_template("catalogue.html", livres=[affichage(d) for d in trouves], total=total,
                               bibliotheques=BIBLIOTHEQUES)

    @app.get("/livre/<int:numero>")
    def livre(numero: int):
        return render_template("livre.html", livre=affichage(fiche(numero)), grande=GRANDE)

    @app.get("/couverture/<int:numero>.png")
    def image(numero: int):
        fiche(numero)
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
