"""Couche services : cas d'utilisation et règles de gestion de la médiathèque.

Les services ne connaissent ni HTTP ni Flask : ils lèvent des exceptions du domaine.
"""

from mediatheque.services.catalogue import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CatalogueEntry,
    CatalogueService,
    ItemPage,
)
from mediatheque.services.loans import LOAN_DAYS, MAX_LOANS, LoanService

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "LOAN_DAYS",
    "MAX_LOANS",
    "MAX_PAGE_SIZE",
    "CatalogueEntry",
    "CatalogueService",
    "ItemPage",
    "LoanService",
]
