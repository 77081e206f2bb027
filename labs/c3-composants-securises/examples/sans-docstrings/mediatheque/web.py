from __future__ import annotations

import hmac
import secrets
from datetime import date

import redis
from flask import Flask, abort, jsonify, request, session

from mediatheque.database import Database
from mediatheque.errors import ConflictError, InvalidInputError, NotFoundError
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.security import AccessDeniedError, PasswordHasher, Role, User
from mediatheque.services.accounts import AccountService
from mediatheque.services.loans import LoanAccessService

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def current_user() -> User:
    found = session.get("user")
    if not isinstance(found, dict):
        abort(401)
    return User(found["id"], Role(found["role"]))


def create_app(config: dict) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=config["SECRET_KEY"], SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    db = Database(config["DATABASE_URL"])
    limiter = LoginRateLimiter(redis.Redis.from_url(config["REDIS_URL"], socket_timeout=2))
    accounts = AccountService(db, limiter, config.get("HASHER") or PasswordHasher())
    loans = LoanAccessService(db)
    today = config.get("TODAY") or date.today

    @app.before_request
    def check_csrf():
        if request.method in UNSAFE_METHODS:
            sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
            expected = session.get("csrf") or ""
            if not expected or not hmac.compare_digest(sent, expected):
                abort(400, "jeton CSRF absent ou invalide")

    @app.errorhandler(AccessDeniedError)
    def denied(exc):
        return jsonify(erreur=str(exc)), 403

    @app.errorhandler(NotFoundError)
    def not_found(exc):
        return jsonify(erreur="introuvable"), 404

    @app.errorhandler(InvalidInputError)
    def invalid(exc):
        return jsonify(erreur=str(exc)), 400

    @app.errorhandler(ConflictError)
    def conflict(exc):
        return jsonify(erreur=str(exc)), 409

    @app.get("/csrf")
    def token():
        return jsonify(csrf_token=csrf_token())

    @app.post("/connexion")
    def login():
        card = request.form.get("carte", "")
        user = accounts.login(card, request.form.get("mot_de_passe", ""))
        if user is None:
            message = "trop de tentatives" if accounts.is_blocked(card) else "carte ou mot de passe incorrect"
            return jsonify(erreur=message), 401
        session.clear()  # session neuve : rien de la session d'avant la connexion ne survit (fixation)
        session["user"] = {"id": user.id, "role": user.role.value}
        return jsonify(id=user.id, role=user.role.value, csrf_token=csrf_token())

    @app.post("/deconnexion")
    def logout():
        session.clear()
        return "", 204

    @app.get("/adherents/<int:member_id>/prets")
    def member_loans(member_id: int):
        return jsonify(loans.loans_of(current_user(), member_id))

    @app.post("/prets/<int:loan_id>/retour")
    def return_loan(loan_id: int):
        loans.return_loan(current_user(), loan_id, today())
        return "", 204

    @app.post("/adherents/<int:member_id>/role")
    def change_role(member_id: int):
        accounts.set_role(current_user(), member_id, request.form.get("role", ""))
        return "", 204

    @app.post("/adherents/<int:member_id>/mot-de-passe")
    def change_password(member_id: int):
        accounts.set_password(current_user(), member_id, request.form.get("mot_de_passe", ""))
        return "", 204

    return app
