"""Pages publiques : accueil, catalogue, inscription, consentement aux traceurs, informations légales."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, redirect, render_template, request

from mediatheque import rules
from mediatheque.errors import ConflictError, InvalidInputError
from mediatheque.routes import service, today

bp = Blueprint("pages", __name__)
CONSENT = "consentement"  # choix du visiteur : « accepte » ou « refuse »
AUDIENCE = "_pk_id"
TRACKER = "https://stats.audience-exemple.fr/piwik.js"


@bp.app_context_processor
def consent():
    choice = request.cookies.get(CONSENT)
    return {"choix": choice, "audience": choice == "accepte", "traceur": TRACKER}


SECURITY_HEADERS = {  # as the web-anssi-entetes lab teaches
    "Content-Security-Policy": f"default-src 'self'; script-src 'self' {TRACKER.rsplit('/', 1)[0]}; "
                               "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000",
}


@bp.after_app_request
def security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@bp.after_app_request
def audience_cookie(response):
    # Le traceur d'audience n'est déposé qu'après acceptation, pour 13 mois au plus.
    if request.cookies.get(CONSENT) == "accepte" and AUDIENCE not in request.cookies:
        response.set_cookie(AUDIENCE, uuid.uuid4().hex, max_age=rules.AUDIENCE_COOKIE_S, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


@bp.get("/")
def home():
    return render_template("accueil.html")


@bp.get("/catalogue")
def catalogue():
    query = (request.args.get("q") or "").strip()
    kind = request.args.get("type") or None
    documents, error = [], None
    if query:
        try:
            documents = service("catalogue").search(query, kind)
        except InvalidInputError:
            error = "Saisissez de 1 à 100 caractères et choisissez un type de la liste."
    return render_template("catalogue.html", q=query, kind=kind, kinds=rules.KINDS, documents=documents,
                           erreur=error), (400 if error else 200)


@bp.route("/inscription", methods=["GET", "POST"])
def register():
    errors, form = {}, {}
    if request.method == "POST":
        form = request.form.to_dict()
        try:
            member, errors = service("members").register(form, today())
        except ConflictError:
            member, errors = None, {"courriel": "Cette adresse est déjà inscrite : connectez-vous."}
        if member is not None:
            return render_template("merci.html", member=member)
    return render_template("inscription.html", erreurs=errors, form=form), (400 if errors else 200)


@bp.post("/consentement")
def choose():
    choice = "accepte" if request.form.get("choix") == "accepter" else "refuse"
    back = request.form.get("retour") or "/"
    response = redirect(back if back.startswith("/") and not back.startswith("//") else "/")
    response.set_cookie(CONSENT, choice, max_age=rules.CONSENT_KEPT_S, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    if choice == "refuse":
        response.delete_cookie(AUDIENCE)  # le retrait du consentement efface le traceur
    return response


@bp.get("/cookies")
def cookies():
    return render_template("cookies.html")


@bp.get("/donnees-personnelles")
def privacy():
    return render_template("donnees.html", rules=rules)


@bp.get("/mentions-legales")
def legal():
    return render_template("mentions.html")
