"""Application web de la médiathèque municipale, organisée en couches.

presentation -> services -> data -> domain
"""

from mediatheque.app import create_app

__all__ = ["create_app"]
