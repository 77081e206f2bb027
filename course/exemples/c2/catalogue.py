"""La recherche dans le catalogue de la médiathèque (EX-01, EX-02), réduite à l'interface.

Lancer : `flask --app catalogue run` depuis ce dossier, puis http://127.0.0.1:5000/catalogue.
Les documents viennent ici d'une liste en mémoire (ceux du jeu de démonstration) ; dans
l'application de référence, ils viennent de PostgreSQL par CatalogueRepository.
"""

from __future__ import annotations

from flask import Flask, render_template, request

KINDS = {"livre": "Livre", "bd": "Bande dessinée", "cd": "CD", "dvd": "DVD", "revue": "Revue"}
DOCUMENTS = [
    {"title": "Le Petit Prince", "kind": "livre", "year": 1943},
    {"title": "Astérix le Gaulois", "kind": "bd", "year": 1961},
    {"title": "Amélie", "kind": "dvd", "year": 2001},
    {"title": "Kind of Blue", "kind": "cd", "year": 1959},
    {"title": "Science et Vie n°1250", "kind": "revue", "year": 2021},
    {"title": "Les Misérables", "kind": "livre", "year": 1862},
]
MAX_QUERY = 100


def check_search(args) -> tuple[dict, dict]:
    """Les critères saisis (nettoyés) et les erreurs, par champ, dans l'ordre du formulaire."""
    values = {"q": (args.get("q") or "").strip(), "type": args.get("type") or "tous"}
    errors = {}
    if not values["q"]:
        errors["q"] = "Saisissez au moins un mot du titre."
    elif len(values["q"]) > MAX_QUERY:
        errors["q"] = f"Saisissez {MAX_QUERY} caractères au plus."
    if values["type"] != "tous" and values["type"] not in KINDS:
        errors["type"] = "Choisissez un type dans la liste : livre, bande dessinée, CD, DVD ou revue."
    return values, errors


def search(values: dict) -> list[dict]:
    """Les documents dont le titre contient le fragment (sans tenir compte de la casse), du type demandé."""
    fragment = values["q"].casefold()
    return [d for d in DOCUMENTS if fragment in d["title"].casefold()
            and values["type"] in ("tous", d["kind"])]


def create_app() -> Flask:
    """L'application : le formulaire seul (aucun critère), ou ses erreurs, ou les résultats."""
    app = Flask(__name__)

    @app.get("/catalogue")
    def catalogue():
        if not request.args:
            return render_template("catalogue.html", values={"type": "tous"}, errors={}, results=None, kinds=KINDS)
        values, errors = check_search(request.args)
        if errors:
            return render_template("catalogue.html", values=values, errors=errors, results=None, kinds=KINDS), 400
        return render_template("catalogue.html", values=values, errors={}, results=search(values), kinds=KINDS)

    return app
