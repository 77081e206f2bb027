"""Couche données et services de la médiathèque (sans l interface web) : le code que la CI protège."""
