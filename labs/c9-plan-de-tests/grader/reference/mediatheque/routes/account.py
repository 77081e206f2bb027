"""Espace adhérent : connexion, compte, prêt, export et effacement des données."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for

from mediatheque.errors import ConflictError, MediathequeError, NotFoundError
from mediatheque.routes import service, today

bp = Blueprint("account", __name__)


def member_id() -> int:
    found = session.get("adherent")
    if not isinstance(found, int):
        abort(401)
    return found


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        card = request.form.get("carte", "")
        found = service("members").authenticate(card, request.form.get("mot_de_passe", ""))
        if found is not None:
            session.clear()
            session["adherent"] = found
            return redirect(url_for("account.account"))
        error = ("Trop de tentatives : réessayez dans 15 minutes." if service("members").is_blocked(card)
                 else "Numéro de carte ou mot de passe incorrect.")
    return render_template("connexion.html", erreur=error), (401 if error else 200)


@bp.get("/compte")
def account():
    if not isinstance(session.get("adherent"), int):
        return redirect(url_for("account.login"))
    data = service("members").export(member_id())
    return render_template("compte.html", donnees=data)


@bp.post("/compte/emprunter")
def borrow():
    try:
        item = int(request.form.get("exemplaire", ""))
    except ValueError:
        item = 0
    try:
        loan = service("loans").borrow(member_id(), item, today())
    except (ConflictError, NotFoundError, MediathequeError) as exc:
        return render_template("compte.html", donnees=service("members").export(member_id()), erreur=str(exc)), 409
    return render_template("compte.html", donnees=service("members").export(member_id()),
                           message=f"Prêt enregistré : à rendre le {loan.due_on:%d/%m/%Y}.")


@bp.get("/compte/export")
def export():
    """Droit d'accès et à la portabilité (RGPD art. 15 et 20)."""
    response = jsonify(service("members").export(member_id()))
    response.headers["Content-Disposition"] = "attachment; filename=mes-donnees.json"
    return response


@bp.post("/compte/supprimer")
def erase():
    """Droit à l'effacement (RGPD art. 17) : l'identité disparaît, l'historique des prêts est anonymisé."""
    current = member_id()
    if request.form.get("confirmation") != "oui":
        return render_template("compte.html", donnees=service("members").export(current),
                               erreur="Cochez la case de confirmation."), 400
    try:
        service("members").erase(current, today())
    except ConflictError as exc:
        return render_template("compte.html", donnees=service("members").export(current), erreur=str(exc)), 409
    session.clear()
    return render_template("supprime.html")


@bp.post("/deconnexion")
def logout():
    session.clear()
    return redirect(url_for("pages.home"))
