"""Test de non-régression de l'incident du 18 novembre (à écrire : voir ENONCE)."""
