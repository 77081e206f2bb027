"""Erreurs du domaine : les appelants ne voient jamais d'exception psycopg ni redis."""


class MediathequeError(Exception):
    """Toute erreur d'accès aux données de la médiathèque."""


class DataUnavailableError(MediathequeError):
    """La base de données (ou Redis) est injoignable."""


class InvalidInputError(MediathequeError, ValueError):
    """Une entrée ne respecte pas le format attendu (rien n'a été envoyé à la base)."""


class NotFoundError(MediathequeError):
    """L'adhérent, le document, l'exemplaire ou le prêt demandé n'existe pas."""


class ConflictError(MediathequeError):
    """L'opération contredit une règle : doublon, exemplaire déjà prêté, limite de prêts atteinte."""
