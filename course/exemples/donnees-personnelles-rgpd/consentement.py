"""Bandeau de consentement de la médiathèque (CNIL, guide de l'équipe de développement, fiches 16
et 17) : aucun traceur avant le choix, « Tout refuser » au même niveau que « Tout accepter »,
retrait possible depuis chaque page, traceur d'audience limité à 13 mois."""

from __future__ import annotations

import uuid

from flask import Flask, redirect, render_template_string, request

CHOICE = "consentement"                  # « accepte » ou « refuse »
CHOICE_KEPT_S = 180 * 24 * 3600          # le choix est conservé 6 mois
AUDIENCE = "_pk_id"                      # identifiant du traceur d'audience
AUDIENCE_MAX_S = 395 * 24 * 3600         # 13 mois au plus
TRACKER = "https://stats.audience-exemple.fr/piwik.js"

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Accueil — Médiathèque municipale</title>
{% if choix == "accepte" %}<script src="{{ traceur }}" async></script>{% endif %}
</head><body>
{% if not choix %}
<section aria-labelledby="bandeau-titre">
  <h2 id="bandeau-titre">Vos choix sur les cookies</h2>
  <p>Avec votre accord, nous mesurons la fréquentation du site (traceur conservé 13 mois au plus).
     Refuser n'a aucune conséquence sur l'usage du site.</p>
  <form method="post" action="/consentement">
    <button type="submit" name="choix" value="refuser">Tout refuser</button>
    <button type="submit" name="choix" value="accepter">Tout accepter</button>
  </form>
</section>
{% endif %}
<main><h1>Médiathèque municipale</h1></main>
<footer><a href="/cookies">Gérer les cookies</a></footer>
</body></html>"""


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def home():
        return render_template_string(PAGE, choix=request.cookies.get(CHOICE), traceur=TRACKER)

    @app.get("/cookies")
    def manage():
        # Le retrait : la même page que le bandeau, accessible depuis le pied de chaque page.
        return render_template_string(PAGE, choix=None, traceur=TRACKER)

    @app.post("/consentement")
    def choose():
        choice = "accepte" if request.form.get("choix") == "accepter" else "refuse"
        response = redirect("/")
        response.set_cookie(CHOICE, choice, max_age=CHOICE_KEPT_S, samesite="Lax", httponly=True, secure=True)
        if choice == "accepte":
            response.set_cookie(AUDIENCE, uuid.uuid4().hex, max_age=AUDIENCE_MAX_S, samesite="Lax", secure=True)
        else:
            response.delete_cookie(AUDIENCE)  # retirer son consentement efface le traceur
        return response

    return app
