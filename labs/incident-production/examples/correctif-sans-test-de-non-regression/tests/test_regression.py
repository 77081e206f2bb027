"""Test de non-régression (à écrire)."""
