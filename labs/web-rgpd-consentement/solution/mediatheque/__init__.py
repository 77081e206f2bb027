"""Médiathèque de Lunéville : consentement aux traceurs et droits des adhérents sur leurs données.

Les adhérents, leurs prêts et le catalogue sont ceux de la médiathèque de référence (PostgreSQL,
dépôts `repositories.py`, service `services/members.py` : export et effacement) ; les échecs de
connexion sont comptés dans Redis. Lancer : `DATABASE_URL=... REDIS_URL=... python -m mediatheque`
puis ouvrir http://127.0.0.1:5000 (base chargée depuis db/mediatheque.sql).
Comptes de démonstration (fictifs) : camille@exemple.fr / lecture2031, sacha@exemple.fr / lecture2031
"""

from __future__ import annotations

import os
import secrets
import uuid
from datetime import date

import redis
from flask import Flask, abort, jsonify, redirect, render_template, request, session, url_for

from mediatheque.database import Database
from mediatheque.errors import ConflictError, NotFoundError
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.repositories import CatalogueRepository, LoanRepository, MemberRepository, ReservationRepository
from mediatheque.rules import LOGIN_MAX_FAILURES, LOGIN_WINDOW_S
from mediatheque.services.members import MemberService

CONSENTEMENT = "consentement"  # choix du visiteur : « accepte » ou « refuse »
DUREE_CHOIX = 180 * 24 * 3600  # le choix est conservé 6 mois (recommandation CNIL)
DUREE_AUDIENCE = 395 * 24 * 3600  # traceur de mesure d'audience : 13 mois au plus (CNIL)
TRACEUR = "https://stats.audience-exemple.fr/piwik.js"


def donnees_de(export: dict) -> dict:
    """L'export de la médiathèque de référence (services/members.py), sous les noms des pages."""
    return {"carte": export["card_number"], "nom": export["last_name"], "prenom": export["first_name"],
            "courriel": export["email"], "telephone": export["phone"], "annee_naissance": export["birth_year"],
            "inscription": export["registered_on"], "abonnement_jusqu_au": export["subscription_ends_on"],
            "prets": [{"livre": p["titre"], "emprunte_le": p["emprunte_le"], "a_rendre_le": p["a_rendre_le"],
                       "rendu_le": p["rendu_le"]} for p in export["prets"]],
            "reservations": export["reservations"]}


def services(config: dict | None) -> tuple[MemberService, CatalogueRepository]:
    settings = {key: os.environ.get(key) for key in ("DATABASE_URL", "REDIS_URL")}
    settings.update(config or {})
    if not settings["DATABASE_URL"] or not settings["REDIS_URL"]:
        raise RuntimeError("DATABASE_URL et REDIS_URL sont requis (base chargée depuis db/mediatheque.sql)")
    db = Database(settings["DATABASE_URL"])
    limiter = LoginRateLimiter(redis.Redis.from_url(settings["REDIS_URL"], socket_timeout=2),
                               max_attempts=LOGIN_MAX_FAILURES, window_s=LOGIN_WINDOW_S)
    return MemberService(MemberRepository(db), LoanRepository(db), ReservationRepository(db), limiter), \
        CatalogueRepository(db)


def create_app(config: dict | None = None) -> Flask:
    adherents, documents = services(config)
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

    def adherent_connecte() -> dict | None:
        numero = session.get("adherent")
        if not isinstance(numero, int):
            return None
        try:
            return donnees_de(adherents.export(numero)) | {"id": numero}
        except NotFoundError:  # compte effacé entre-temps
            return None

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
        livres, _total = documents.page(1, 100)
        return render_template("catalogue.html", livres=[d.title for d in livres])

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
            trouve = adherents.authenticate_by_email(request.form.get("courriel"), request.form.get("mot_de_passe"))
            if trouve is not None:
                session.clear()
                session["adherent"] = trouve
                return redirect(url_for("compte"))
            erreur = "Adresse ou mot de passe incorrect."
        return render_template("connexion.html", erreur=erreur), (401 if erreur else 200)

    @app.get("/compte")
    def compte():
        adherent = adherent_connecte()
        if adherent is None:
            return redirect(url_for("connexion"))
        return render_template("compte.html", prets=adherent["prets"])

    @app.get("/compte/export")
    def exporter():
        """Droit d'accès et à la portabilité (RGPD art. 15 et 20) : toutes les données de l'adhérent."""
        adherent = adherent_connecte()
        if adherent is None:
            abort(401)
        response = jsonify(adherent)
        response.headers["Content-Disposition"] = "attachment; filename=mes-donnees.json"
        return response

    @app.post("/compte/supprimer")
    def supprimer():
        """Droit à l'effacement (RGPD art. 17) : l'identité disparaît, l'historique de prêts est anonymisé
        (services/members.py de la référence)."""
        adherent = adherent_connecte()
        if adherent is None:
            abort(401)
        if request.form.get("confirmation") != "oui":
            return render_template("compte.html", prets=[], erreur="Cochez la case de confirmation."), 400
        try:
            adherents.erase(adherent["id"], date.today())
        except ConflictError as erreur:  # des documents sont encore en prêt
            return render_template("compte.html", prets=adherent["prets"], erreur=str(erreur)), 409
        session.clear()
        return render_template("supprime.html")

    @app.post("/deconnexion")
    def deconnexion():
        session.clear()
        return redirect(url_for("accueil"))

    return app
