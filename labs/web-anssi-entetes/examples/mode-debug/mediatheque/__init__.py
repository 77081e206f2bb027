"""Médiathèque de Lunéville : espace adhérent durci côté navigateur (recommandations de l'ANSSI).

Lancer : `python -m mediatheque` puis ouvrir http://127.0.0.1:5000
Compte de démonstration (fictif) : camille@exemple.fr / lecture2031
"""

from __future__ import annotations

import os
import secrets

from flask import Flask, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.security import check_password_hash, generate_password_hash

ADHERENTS = {"camille@exemple.fr": {"prenom": "Camille", "mot_de_passe": generate_password_hash("lecture2031")}}
LIVRES = ["Les Misérables", "Germinal", "Madame Bovary", "Bel-Ami", "Le Père Goriot", "Le Rouge et le Noir",
          "Notre-Dame de Paris", "L'Assommoir", "Les Fleurs du mal", "Vingt mille lieues sous les mers"]
PAR_PAGE = 4

# En-têtes de sécurité envoyés avec chaque réponse (ANSSI, sécurité côté navigateur).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
EN_TETES = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("MEDIATHEQUE_SECRET_KEY") or secrets.token_hex(32),
        SESSION_COOKIE_NAME="session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=True,
        DEBUG=False,
    )

    @app.after_request
    def en_tetes_de_securite(response):
        for nom, valeur in EN_TETES.items():
            response.headers.setdefault(nom, valeur)
        return response

    @app.errorhandler(HTTPException)
    def erreur_http(erreur):
        return render_template("erreur.html", code=erreur.code, titre=erreur.name), erreur.code

    @app.errorhandler(Exception)
    def erreur_interne(erreur):
        app.logger.exception("erreur interne")  # le détail reste dans les journaux du serveur
        return render_template("erreur.html", code=500, titre="Erreur interne"), 500

    @app.get("/")
    def accueil():
        page = request.args.get("page", 1, type=int)
        page = min(max(page, 1), (len(LIVRES) - 1) // PAR_PAGE + 1)
        livres = LIVRES[(page - 1) * PAR_PAGE: page * PAR_PAGE]
        return render_template("accueil.html", livres=livres, page=page)

    @app.route("/connexion", methods=["GET", "POST"])
    def connexion():
        erreur = None
        if request.method == "POST":
            adherent = ADHERENTS.get((request.form.get("courriel") or "").strip().lower())
            if adherent and check_password_hash(adherent["mot_de_passe"], request.form.get("mot_de_passe") or ""):
                session.clear()
                session["prenom"] = adherent["prenom"]
                return redirect(url_for("compte"))
            erreur = "Adresse ou mot de passe incorrect."
        return render_template("connexion.html", erreur=erreur), (401 if erreur else 200)

    @app.get("/compte")
    def compte():
        if "prenom" not in session:
            return redirect(url_for("connexion"))
        return render_template("compte.html", prenom=session["prenom"])

    @app.post("/deconnexion")
    def deconnexion():
        session.clear()
        return redirect(url_for("accueil"))

    return app
