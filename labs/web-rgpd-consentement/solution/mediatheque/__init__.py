"""Médiathèque de Lunéville : consentement aux traceurs et droits des adhérents sur leurs données.

Lancer : `python -m mediatheque` puis ouvrir http://127.0.0.1:5000
Comptes de démonstration (fictifs) : camille@exemple.fr / lecture2031, sacha@exemple.fr / lecture2031
"""

from __future__ import annotations

import copy
import secrets
import uuid

from flask import Flask, abort, jsonify, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

CONSENTEMENT = "consentement"  # choix du visiteur : « accepte » ou « refuse »
DUREE_CHOIX = 180 * 24 * 3600  # le choix est conservé 6 mois (recommandation CNIL)
DUREE_AUDIENCE = 395 * 24 * 3600  # traceur de mesure d'audience : 13 mois au plus (CNIL)
TRACEUR = "https://stats.audience-exemple.fr/piwik.js"

ADHERENTS_DEMO = {
    1: {"id": 1, "nom": "Martin", "prenom": "Camille", "courriel": "camille@exemple.fr", "telephone": "03 83 00 00 01",
        "inscription": "2029-09-14", "mot_de_passe": generate_password_hash("lecture2031")},
    2: {"id": 2, "nom": "Bernard", "prenom": "Sacha", "courriel": "sacha@exemple.fr", "telephone": "03 83 00 00 02",
        "inscription": "2030-01-03", "mot_de_passe": generate_password_hash("lecture2031")},
}
PRETS_DEMO = [
    {"adherent": 1, "livre": "Germinal", "emprunte_le": "2031-02-01", "rendu_le": "2031-02-20"},
    {"adherent": 1, "livre": "Bel-Ami", "emprunte_le": "2031-03-02", "rendu_le": None},
    {"adherent": 2, "livre": "Madame Bovary", "emprunte_le": "2031-02-11", "rendu_le": None},
]
LIVRES = ["Les Misérables", "Germinal", "Madame Bovary", "Bel-Ami", "Le Père Goriot", "Le Rouge et le Noir"]


def create_app() -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    adherents = copy.deepcopy(ADHERENTS_DEMO)
    prets = copy.deepcopy(PRETS_DEMO)
    app.config["ADHERENTS"], app.config["PRETS"] = adherents, prets

    def adherent_connecte():
        return adherents.get(session.get("adherent"))

    @app.context_processor
    def consentement():
        choix = request.cookies.get(CONSENTEMENT)
        return {"choix": choix, "audience": choix == "accepte", "traceur": TRACEUR, "adherent": adherent_connecte()}

    @app.after_request
    def mesure_audience(response):
        # Le traceur d'audience n'est déposé qu'après acceptation, pour 13 mois au plus.
        if request.cookies.get(CONSENTEMENT) == "accepte" and "_pk_id" not in request.cookies:
            response.set_cookie("_pk_id", uuid.uuid4().hex, max_age=DUREE_AUDIENCE, samesite="Lax")
        return response

    @app.get("/")
    def accueil():
        return render_template("accueil.html")

    @app.get("/catalogue")
    def catalogue():
        return render_template("catalogue.html", livres=LIVRES)

    @app.get("/mentions-legales")
    def mentions():
        return render_template("mentions.html")

    @app.get("/donnees-personnelles")
    def donnees():
        return render_template("donnees.html")

    @app.get("/cookies")
    def cookies():
        return render_template("cookies.html")

    @app.post("/consentement")
    def choisir():
        choix = "accepte" if request.form.get("choix") == "accepter" else "refuse"
        retour = request.form.get("retour") or "/"
        response = redirect(retour if retour.startswith("/") and not retour.startswith("//") else "/")
        response.set_cookie(CONSENTEMENT, choix, max_age=DUREE_CHOIX, samesite="Lax", httponly=True)
        if choix == "refuse":
            response.delete_cookie("_pk_id")  # le retrait du consentement efface le traceur
        return response

    @app.route("/connexion", methods=["GET", "POST"])
    def connexion():
        erreur = None
        if request.method == "POST":
            courriel = (request.form.get("courriel") or "").strip().lower()
            trouve = next((a for a in adherents.values() if a["courriel"] == courriel), None)
            if trouve and check_password_hash(trouve["mot_de_passe"], request.form.get("mot_de_passe") or ""):
                session.clear()
                session["adherent"] = trouve["id"]
                return redirect(url_for("compte"))
            erreur = "Adresse ou mot de passe incorrect."
        return render_template("connexion.html", erreur=erreur), (401 if erreur else 200)

    @app.get("/compte")
    def compte():
        adherent = adherent_connecte()
        if adherent is None:
            return redirect(url_for("connexion"))
        return render_template("compte.html", prets=[p for p in prets if p["adherent"] == adherent["id"]])

    @app.get("/compte/export")
    def exporter():
        """Droit d'accès et à la portabilité (RGPD art. 15 et 20) : toutes les données de l'adhérent."""
        adherent = adherent_connecte()
        if adherent is None:
            abort(401)
        donnees = {k: v for k, v in adherent.items() if k != "mot_de_passe"}
        donnees["prets"] = [{k: v for k, v in p.items() if k != "adherent"} for p in prets if p["adherent"] == adherent["id"]]
        response = jsonify(donnees)
        response.headers["Content-Disposition"] = "attachment; filename=mes-donnees.json"
        return response

    @app.post("/compte/supprimer")
    def supprimer():
        """Droit à l'effacement (RGPD art. 17) : le compte disparaît, l'historique de prêts est anonymisé."""
        adherent = adherent_connecte()
        if adherent is None:
            abort(401)
        if request.form.get("confirmation") != "oui":
            return render_template("compte.html", prets=[], erreur="Cochez la case de confirmation."), 400
        for pret in prets:
            if pret["adherent"] == adherent["id"]:
                pret["adherent"] = None
        del adherents[adherent["id"]]
        session.clear()
        return render_template("supprime.html")

    @app.post("/deconnexion")
    def deconnexion():
        session.clear()
        return redirect(url_for("accueil"))

    return app
