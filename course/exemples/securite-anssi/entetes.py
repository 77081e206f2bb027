"""Durcissement côté navigateur d'une application Flask de la médiathèque (note ANSSI sur la
sécurité des sites web) : en-têtes posés sur toutes les réponses, cookie de session durci,
pages d'erreur sans détail technique."""

from __future__ import annotations

from flask import Flask, session

SECURITY_HEADERS = {
    # Scripts, styles et images du site seulement ; aucun script en ligne ; pas d'intégration
    # dans un cadre tiers (remplace X-Frame-Options) ; formulaires envoyés au site seulement.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; object-src 'none'; "
                               "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Frame-Options": "DENY",           # la même protection pour les navigateurs anciens
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Un an de HTTPS imposé (à n'activer que lorsque tout le site est servi en HTTPS).
    "Strict-Transport-Security": "max-age=31536000",
}


def create_app(secret_key: str) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key,           # lu dans l'environnement en production, jamais dans le dépôt
        SESSION_COOKIE_HTTPONLY=True,    # invisible pour les scripts de la page
        SESSION_COOKIE_SECURE=True,      # envoyé seulement en HTTPS
        SESSION_COOKIE_SAMESITE="Lax",   # pas envoyé par les requêtes POST d'un autre site
        DEBUG=False,                     # jamais de débogueur Werkzeug en production
    )

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(500)
    def internal_error(_error):
        # Le détail va dans le journal du serveur ; l'utilisateur reçoit un message neutre.
        return "Une erreur est survenue. Réessayez plus tard.", 500

    @app.get("/compte")
    def account():
        session["carte"] = "M000042"
        return "<h1>Mon compte</h1>"

    @app.get("/panne")
    def broken():
        raise RuntimeError("connexion à postgresql://mediatheque@db:5432 refusée")

    return app
