"""Médiathèque de référence : Flask, PostgreSQL (psycopg 3), Redis ; routes → services → dépôts.

Lancer : DATABASE_URL=... REDIS_URL=... SECRET_KEY=... flask --app mediatheque run
"""

from __future__ import annotations

import os
from datetime import date

import redis
from flask import Flask

from mediatheque.database import Database
from mediatheque.redis_store import CatalogueCache, LoginRateLimiter
from mediatheque.repositories import CatalogueRepository, LoanRepository, MemberRepository, ReservationRepository
from mediatheque.rules import CATALOGUE_CACHE_TTL_S, LOGIN_MAX_FAILURES, LOGIN_WINDOW_S
from mediatheque.services.loans import LoanService
from mediatheque.services.members import MemberService


def create_app(config: dict | None = None) -> Flask:
    """`config` : DATABASE_URL, REDIS_URL, SECRET_KEY (sinon lus dans l'environnement) et TODAY
    (une fonction qui donne la date du jour, pour les tests)."""
    app = Flask(__name__)
    settings = {key: os.environ.get(key) for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    settings.update(config or {})
    if not settings.get("SECRET_KEY") or not settings.get("DATABASE_URL") or not settings.get("REDIS_URL"):
        raise RuntimeError("DATABASE_URL, REDIS_URL et SECRET_KEY sont requis")
    # Cookies only over HTTPS (browsers accept Secure cookies from http://localhost for a local run).
    app.config.update(SECRET_KEY=settings["SECRET_KEY"], SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SECURE=True,
                      SESSION_COOKIE_SAMESITE="Lax", MAX_CONTENT_LENGTH=16 * 1024)
    db = Database(settings["DATABASE_URL"])
    client = redis.Redis.from_url(settings["REDIS_URL"], socket_timeout=2)
    members, loans = MemberRepository(db), LoanRepository(db)
    reservations = ReservationRepository(db)
    limiter = LoginRateLimiter(client, max_attempts=LOGIN_MAX_FAILURES, window_s=LOGIN_WINDOW_S)
    app.extensions["mediatheque"] = {
        "today": settings.get("TODAY") or date.today,
        "catalogue": CatalogueCache(client, CatalogueRepository(db), ttl_s=CATALOGUE_CACHE_TTL_S),
        "members": MemberService(members, loans, reservations, limiter),
        "loans": LoanService(loans, reservations),
    }
    from mediatheque.routes import account, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(account.bp)
    return app
