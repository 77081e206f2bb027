"""Couche métier : chaque service vérifie les droits de l'utilisateur avant d'agir."""
