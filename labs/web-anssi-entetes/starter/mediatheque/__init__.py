"""Médiathèque de Lunéville : espace adhérent.

Les adhérents et le catalogue sont ceux de la médiathèque de référence (PostgreSQL, lus par
`repositories.py`) ; les échecs de connexion sont comptés dans Redis (`redis_store.py`).
Lancer : `DATABASE_URL=... REDIS_URL=... python -m mediatheque` puis ouvrir http://127.0.0.1:5000
(base chargée depuis db/mediatheque.sql). Compte de démonstration (fictif) : camille@exemple.fr / lecture2031
"""

from __future__ import annotations

import os

import redis
from flask import Flask, redirect, render_template, request, session, url_for

from mediatheque.database import Database
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.repositories import CatalogueRepository, LoanRepository, MemberRepository, ReservationRepository
from mediatheque.rules import LOGIN_MAX_FAILURES, LOGIN_WINDOW_S
from mediatheque.services.members import MemberService

PAR_PAGE = 4

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
        SECRET_KEY="mediatheque-2031",
        SESSION_COOKIE_HTTPONLY=False,  # le script de la page lit le prénom dans le cookie
        DEBUG=True,
    )

    @app.get("/")
    def accueil():
        page = int(request.args.get("page", "1"))
        livres, _total = catalogue.page(page, PAR_PAGE)
        return render_template("accueil.html", livres=[d.title for d in livres], page=page)

    @app.route("/connexion", methods=["GET", "POST"])
    def connexion():
        erreur = None
        if request.method == "POST":
            trouve = adherents.authenticate_by_email(request.form.get("courriel"), request.form.get("mot_de_passe"))
            if trouve is not None:
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
