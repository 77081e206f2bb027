"""Médiathèque de Lunéville : espace adhérent durci côté navigateur (recommandations de l'ANSSI).

Les adhérents et le catalogue sont ceux de la médiathèque de référence (PostgreSQL, lus par
`repositories.py`) ; les échecs de connexion sont comptés dans Redis (`redis_store.py`).
Lancer : `DATABASE_URL=... REDIS_URL=... python -m mediatheque` puis ouvrir http://127.0.0.1:5000
(base chargée depuis db/mediatheque.sql). Compte de démonstration (fictif) : camille@exemple.fr / lecture2031
"""

from __future__ import annotations

import os
import secrets

import redis
from flask import Flask, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException

from mediatheque.database import Database
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.repositories import CatalogueRepository, LoanRepository, MemberRepository, ReservationRepository
from mediatheque.rules import LOGIN_MAX_FAILURES, LOGIN_WINDOW_S
from mediatheque.services.members import MemberService

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


def create_app(config: dict | None = None) -> Flask:
    settings = {key: os.environ.get(key) for key in ("DATABASE_URL", "REDIS_URL")}
    settings.update(config or {})
    if not settings["DATABASE_URL"] or not settings["REDIS_URL"]:
        raise RuntimeError("DATABASE_URL et REDIS_URL sont requis (base chargée depuis db/mediatheque.sql)")
    db = Database(settings["DATABASE_URL"])
    limiter = LoginRateLimiter(redis.Redis.from_url(settings["REDIS_URL"], socket_timeout=2),
                               max_attempts=LOGIN_MAX_FAILURES, window_s=LOGIN_WINDOW_S)
    adherents = MemberService(MemberRepository(db), LoanRepository(db), ReservationRepository(db), limiter)
    catalogue = CatalogueRepository(db)
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
        page = max(request.args.get("page", 1, type=int), 1)
        livres, total = catalogue.page(page, PAR_PAGE)
        if not livres and page > 1:
            page = (total - 1) // PAR_PAGE + 1
            livres, total = catalogue.page(page, PAR_PAGE)
        return render_template("accueil.html", livres=[d.title for d in livres], page=page)

    @app.route("/connexion", methods=["GET", "POST"])
    def connexion():
        erreur = None
        if request.method == "POST":
            trouve = adherents.authenticate_by_email(request.form.get("courriel"), request.form.get("mot_de_passe"))
            if trouve is not None:
                session.clear()
                session["prenom"] = adherents.member(trouve).first_name
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
