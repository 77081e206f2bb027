"""Consultation du catalogue, paginée (sobriété : jamais tout le catalogue d'un coup)."""

from __future__ import annotations

from dataclasses import dataclass

from mediatheque.data import Repositories
from mediatheque.domain import Item, ItemNotFound

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class CatalogueEntry:
    item: Item
    available: bool


@dataclass(frozen=True)
class ItemPage:
    entries: list[CatalogueEntry]
    page: int
    per_page: int
    total: int


class CatalogueService:
    def __init__(self, repositories: Repositories) -> None:
        self._repos = repositories

    def list_items(self, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE) -> ItemPage:
        page = max(page, 1)
        per_page = min(max(per_page, 1), MAX_PAGE_SIZE)
        items = self._repos.items.list(offset=(page - 1) * per_page, limit=per_page)
        # Une seule requête pour la disponibilité de toute la page (pas de N+1).
        lent = {loan.item_id for loan in self._repos.loans.find_active_by_items(i.id for i in items)}
        entries = [CatalogueEntry(item=item, available=item.id not in lent) for item in items]
        return ItemPage(entries=entries, page=page, per_page=per_page, total=self._repos.items.count())

    def get_item(self, item_id: int) -> CatalogueEntry:
        item = self._repos.items.get(item_id)
        if item is None:
            raise ItemNotFound()
        available = self._repos.loans.find_active_by_item(item_id) is None
        return CatalogueEntry(item=item, available=available)
