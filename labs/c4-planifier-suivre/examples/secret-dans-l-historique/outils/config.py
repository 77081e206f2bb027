"""Accès à l'outil de suivi des tickets : le jeton vient de l'environnement, jamais du dépôt."""

import os

URL_SUIVI = "https://suivi.mediatheque.example/api/v4"
JETON_SUIVI = os.environ.get("JETON_SUIVI", "")
