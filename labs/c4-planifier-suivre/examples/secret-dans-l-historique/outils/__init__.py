"""Outils de suivi du projet (burndown)."""
