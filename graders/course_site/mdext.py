"""A Markdown extension of the course site: header cells of tables say what they head (`scope="col"`),
so that each data cell is tied to its header (RGAA 5.7)."""

from __future__ import annotations

from markdown import Extension
from markdown.treeprocessors import Treeprocessor


class _Scope(Treeprocessor):
    def run(self, root):
        for cell in root.iter("th"):
            cell.set("scope", cell.get("scope") or "col")


class TableScopeExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_Scope(md), "cda-table-scope", 0)


def makeExtension(**kwargs) -> TableScopeExtension:  # noqa: N802 (Markdown's name)
    return TableScopeExtension(**kwargs)
