"""Accès aux données de la médiathèque : dépôts PostgreSQL (psycopg 3) et composants Redis."""
