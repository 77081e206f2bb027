"""Médiathèque de Lunéville : accueil, inscription en ligne et recherche dans le catalogue.

Lancer : `python -m mediatheque` puis ouvrir http://127.0.0.1:5000
Données fictives, en mémoire.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Flask, render_template, request

LIVRES = [
    {"titre": "Les Misérables", "auteur": "Victor Hugo", "annee": 1862, "disponible": True},
    {"titre": "Notre-Dame de Paris", "auteur": "Victor Hugo", "annee": 1831, "disponible": False},
    {"titre": "Madame Bovary", "auteur": "Gustave Flaubert", "annee": 1857, "disponible": True},
    {"titre": "Germinal", "auteur": "Émile Zola", "annee": 1885, "disponible": True},
    {"titre": "L'Assommoir", "auteur": "Émile Zola", "annee": 1877, "disponible": False},
    {"titre": "Le Rouge et le Noir", "auteur": "Stendhal", "annee": 1830, "disponible": True},
    {"titre": "Bel-Ami", "auteur": "Guy de Maupassant", "annee": 1885, "disponible": True},
    {"titre": "Le Père Goriot", "auteur": "Honoré de Balzac", "annee": 1835, "disponible": True},
    {"titre": "Les Fleurs du mal", "auteur": "Charles Baudelaire", "annee": 1857, "disponible": False},
    {"titre": "Vingt mille lieues sous les mers", "auteur": "Jules Verne", "annee": 1870, "disponible": True},
]
FORMULES = [
    ("decouverte", "Découverte (gratuite, 3 prêts)"),
    ("liberte", "Liberté (15 € par an, 10 prêts)"),
    ("famille", "Famille (25 € par an, 20 prêts)"),
]
INSCRIPTIONS: list[dict] = []
COURRIEL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TELEPHONE = re.compile(r"^(?:\+33|0)[1-9](?:[ .-]?\d{2}){4}$")


def valider(form) -> tuple[dict, dict]:
    """Les valeurs saisies (nettoyées) et les erreurs, par champ."""
    valeurs = {nom: (form.get(nom) or "").strip() for nom in ("nom", "prenom", "courriel", "telephone", "annee_naissance", "formule")}
    valeurs["reglement"] = form.get("reglement") == "oui"
    erreurs = {}
    if not valeurs["nom"]:
        erreurs["nom"] = "Indiquez votre nom."
    if not valeurs["prenom"]:
        erreurs["prenom"] = "Indiquez votre prénom."
    if not valeurs["courriel"]:
        erreurs["courriel"] = "Indiquez votre adresse électronique."
    elif not COURRIEL.match(valeurs["courriel"]):
        erreurs["courriel"] = "L'adresse électronique doit avoir la forme nom@exemple.fr."
    if valeurs["telephone"] and not TELEPHONE.match(valeurs["telephone"]):
        erreurs["telephone"] = "Le téléphone doit avoir 10 chiffres, par exemple 03 83 00 00 00."
    annee = valeurs["annee_naissance"]
    if annee and not (annee.isdigit() and len(annee) == 4 and 1900 <= int(annee) <= date.today().year):
        erreurs["annee_naissance"] = "L'année de naissance doit avoir 4 chiffres, par exemple 2012."
    if valeurs["formule"] not in {code for code, _ in FORMULES}:
        erreurs["formule"] = "Choisissez une formule."
    if not valeurs["reglement"]:
        erreurs["reglement"] = "Acceptez le règlement de la médiathèque pour vous inscrire."
    return valeurs, erreurs


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def accueil():
        return render_template("accueil.html", page="accueil", nouveautes=LIVRES[:3])

    @app.route("/inscription", methods=["GET", "POST"])
    def inscription():
        if request.method == "POST":
            valeurs, erreurs = valider(request.form)
            if not erreurs:
                INSCRIPTIONS.append(valeurs)
                return render_template("merci.html", page="inscription", valeurs=valeurs)
            return render_template("inscription.html", page="inscription", valeurs=valeurs, erreurs=erreurs,
                                   formules=FORMULES), 400
        return render_template("inscription.html", page="inscription", valeurs={}, erreurs={}, formules=FORMULES)

    @app.get("/recherche")
    def recherche():
        terme = (request.args.get("q") or "").strip()
        trouves = [l for l in LIVRES if terme.lower() in (l["titre"] + " " + l["auteur"]).lower()] if terme else []
        return render_template("recherche.html", page="recherche", terme=terme, livres=trouves)

    @app.get("/mentions-legales")
    def mentions():
        return render_template("mentions.html", page="mentions")

    return app
