"""Couche métier : applique REGLES.md (rules.py) au-dessus des dépôts ; ne connaît ni Flask ni SQL."""
