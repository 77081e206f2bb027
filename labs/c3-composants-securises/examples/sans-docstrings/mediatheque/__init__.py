"""Médiathèque, lab C3 : connexion, rôles et accès aux prêts, sécurisés dans la couche métier."""
