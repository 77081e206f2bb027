"""Médiathèque de Lunéville : accueil, inscription en ligne et recherche dans le catalogue.

Le catalogue et les adhérents sont ceux de la médiathèque de référence (PostgreSQL, dépôts
`repositories.py` ; recherches mises en cache dans Redis, `redis_store.py`). Lancer :
`DATABASE_URL=... REDIS_URL=... python -m mediatheque` puis ouvrir http://127.0.0.1:5000
(base chargée depuis db/mediatheque.sql).
"""

from __future__ import annotations

import os
import re
from datetime import date

import redis
from flask import Flask, render_template, request

from mediatheque.database import Database
from mediatheque.errors import ConflictError, InvalidInputError
from mediatheque.redis_store import CatalogueCache
from mediatheque.repositories import CatalogueRepository, Document, MemberRepository
from mediatheque.rules import CATALOGUE_CACHE_TTL_S

FORMULES = [
    ("decouverte", "Découverte (gratuite, livres et revues)"),
    ("liberte", "Liberté (15 € par an, tous les documents)"),
    ("famille", "Famille (25 € par an, une carte par membre)"),
]  # les règles de prêt (5 documents à la fois, 3 pour un mineur) sont les mêmes pour toutes
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


def livres(catalogue: CatalogueRepository, documents: list[Document]) -> list[dict]:
    """Ce que les pages affichent des documents du catalogue (disponible : un exemplaire en rayon)."""
    en_rayon = catalogue.available([d.id for d in documents])
    return [{"titre": d.title, "auteur": d.author, "annee": d.year, "disponible": d.id in en_rayon} for d in documents]


def create_app(config: dict | None = None) -> Flask:
    settings = {key: os.environ.get(key) for key in ("DATABASE_URL", "REDIS_URL")}
    settings.update(config or {})
    if not settings["DATABASE_URL"] or not settings["REDIS_URL"]:
        raise RuntimeError("DATABASE_URL et REDIS_URL sont requis (base chargée depuis db/mediatheque.sql)")
    db = Database(settings["DATABASE_URL"])
    catalogue, adherents = CatalogueRepository(db), MemberRepository(db)
    recherches = CatalogueCache(redis.Redis.from_url(settings["REDIS_URL"], socket_timeout=2), catalogue,
                                ttl_s=CATALOGUE_CACHE_TTL_S)
    app = Flask(__name__)

    def inscrire(valeurs: dict) -> dict:
        """Enregistre l'adhérent (données minimales : l'année de naissance, pas la date) ; erreurs par champ."""
        try:
            adherents.add(adherents.next_card_number(), valeurs["nom"], valeurs["prenom"], valeurs["courriel"].lower(),
                          phone=valeurs["telephone"] or None, birth_year=int(valeurs["annee_naissance"] or 0) or None)
        except ConflictError:
            return {"courriel": "Cette adresse électronique est déjà inscrite : connectez-vous à votre compte."}
        return {}

    @app.get("/")
    def accueil():
        nouveautes, _total = catalogue.page(1, 3)
        return render_template("accueil.html", page="accueil", nouveautes=livres(catalogue, nouveautes))

    @app.route("/inscription", methods=["GET", "POST"])
    def inscription():
        if request.method == "POST":
            valeurs, erreurs = valider(request.form)
            if not erreurs:
                erreurs = inscrire(valeurs)
            if not erreurs:
                return render_template("merci.html", page="inscription", valeurs=valeurs)
            return render_template("inscription.html", page="inscription", valeurs=valeurs, erreurs=erreurs,
                                   formules=FORMULES), 400
        return render_template("inscription.html", page="inscription", valeurs={}, erreurs={}, formules=FORMULES)

    @app.get("/recherche")
    def recherche():
        terme = (request.args.get("q") or "").strip()
        try:
            trouves = livres(catalogue, recherches.search(terme)) if terme else []
        except InvalidInputError:  # plus de 100 caractères
            trouves = []
        return render_template("recherche.html", page="recherche", terme=terme, livres=trouves)

    @app.get("/mentions-legales")
    def mentions():
        return render_template("mentions.html", page="mentions")

    return app
