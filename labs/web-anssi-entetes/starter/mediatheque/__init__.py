"""Médiathèque de Lunéville : espace adhérent.

Lancer : `python -m mediatheque` puis ouvrir http://127.0.0.1:5000
Compte de démonstration (fictif) : camille@exemple.fr / lecture2031
"""

from __future__ import annotations

from flask import Flask, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

ADHERENTS = {"camille@exemple.fr": {"prenom": "Camille", "mot_de_passe": generate_password_hash("lecture2031")}}
LIVRES = ["Les Misérables", "Germinal", "Madame Bovary", "Bel-Ami", "Le Père Goriot", "Le Rouge et le Noir",
          "Notre-Dame de Paris", "L'Assommoir", "Les Fleurs du mal", "Vingt mille lieues sous les mers"]
PAR_PAGE = 4


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="mediatheque-2031",
        SESSION_COOKIE_HTTPONLY=False,  # le script de la page lit le prénom dans le cookie
        DEBUG=True,
    )

    @app.get("/")
    def accueil():
        page = int(request.args.get("page", "1"))
        livres = LIVRES[(page - 1) * PAR_PAGE: page * PAR_PAGE]
        return render_template("accueil.html", livres=livres, page=page)

    @app.route("/connexion", methods=["GET", "POST"])
    def connexion():
        erreur = None
        if request.method == "POST":
            adherent = ADHERENTS.get((request.form.get("courriel") or "").strip().lower())
            if adherent and check_password_hash(adherent["mot_de_passe"], request.form.get("mot_de_passe") or ""):
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
