"""Application web de la médiathèque (version d'origine, tout est mélangé)."""

from mediatheque.app import create_app

__all__ = ["create_app"]
