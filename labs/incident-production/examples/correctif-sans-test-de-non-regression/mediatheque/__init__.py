"""Règles métier de la médiathèque, version 1.3.1 (celle de l'incident)."""
