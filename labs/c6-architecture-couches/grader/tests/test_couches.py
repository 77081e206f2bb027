"""Propriétés des couches qu'import-linter ne voit pas."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.abc
import re
import sys
from pathlib import Path

import pytest


def package_files(module_name: str) -> list[Path]:
    module = importlib.import_module(module_name)
    paths = getattr(module, "__path__", None)
    if paths:
        return sorted(p for root in paths for p in Path(root).rglob("*.py"))
    return [Path(module.__file__)]


def package_dir() -> Path:
    mediatheque = importlib.import_module("mediatheque")
    return Path(mediatheque.__file__).resolve().parent


# --- Les services parlent le langage du domaine, pas HTTP --------------------------------


def _raised(loan_service, call):
    with pytest.raises(Exception) as info:
        call(loan_service)
    return info.value


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda s: s.lend(99, 1), id="adherent-inconnu"),
        pytest.param(lambda s: s.return_item(1), id="document-non-prete"),
        pytest.param(lambda s: [s.lend(1, i) for i in range(1, 7)], id="limite"),
    ],
)
def test_services_levent_des_exceptions_du_domaine(loan_service, domain, call):
    from werkzeug.exceptions import HTTPException

    exc = _raised(loan_service, call)
    assert isinstance(exc, domain.DomainError), type(exc)
    assert not isinstance(exc, HTTPException), type(exc)
    assert type(exc).__module__.startswith("mediatheque.domain"), type(exc).__module__


def test_entites_sont_des_dataclasses(domain):
    for name in ("Member", "Item", "Loan", "Reservation"):
        assert dataclasses.is_dataclass(getattr(domain, name)), name


# --- Pas de règle métier dans la présentation -------------------------------------------


def test_presentation_sans_regle_metier():
    offenders = []
    for path in package_files("mediatheque.presentation"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "timedelta":
                offenders.append(f"{path.name}:{node.lineno} timedelta")
            elif isinstance(node, ast.Attribute) and node.attr == "timedelta":
                offenders.append(f"{path.name}:{node.lineno} timedelta")
            elif isinstance(node, ast.alias) and node.name == "timedelta":
                offenders.append(f"{path.name} import timedelta")
            elif (
                isinstance(node, ast.Constant)
                and type(node.value) is int
                and node.value in (5, 21)
            ):
                offenders.append(f"{path.name}:{node.lineno} constante {node.value}")
    assert offenders == []


# --- psycopg : import paresseux, dans le seul dépôt PostgreSQL ------------------------------


class _BlockPsycopg(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "psycopg" or fullname.startswith(("psycopg.", "psycopg_")):
            raise ImportError(f"{fullname} bloqué par le test")
        return None


def test_application_fonctionne_sans_psycopg():
    saved = {
        name: module
        for name, module in sys.modules.items()
        if name == "mediatheque"
        or name.startswith("mediatheque.")
        or name == "psycopg"
        or name.startswith(("psycopg.", "psycopg_"))
    }
    for name in saved:
        del sys.modules[name]
    blocker = _BlockPsycopg()
    sys.meta_path.insert(0, blocker)
    try:
        mediatheque = importlib.import_module("mediatheque")
        for layer in ("domain", "data", "services", "presentation"):
            importlib.import_module(f"mediatheque.{layer}")
        client = mediatheque.create_app().test_client()
        assert client.get("/api/items").status_code == 200
        response = client.post("/api/loans", json={"member_id": 1, "item_id": 1})
        assert response.status_code == 201
    finally:
        sys.meta_path.remove(blocker)
        for name in [n for n in sys.modules if n == "mediatheque" or n.startswith("mediatheque.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def _postgres_tree() -> ast.Module:
    path = package_dir() / "data" / "postgres.py"
    assert path.is_file(), "mediatheque/data/postgres.py manquant"
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports_psycopg(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "psycopg" for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "psycopg"
    return False


def test_depot_postgres_present():
    tree = _postgres_tree()
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert "postgres_repositories" in functions
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    for name in (
        "PostgresMemberRepository",
        "PostgresItemRepository",
        "PostgresLoanRepository",
        "PostgresReservationRepository",
    ):
        assert name in classes, name


def test_depot_postgres_importe_psycopg_paresseusement():
    tree = _postgres_tree()
    assert not [node for node in tree.body if _imports_psycopg(node)], "import psycopg au niveau module"
    assert any(_imports_psycopg(node) for node in ast.walk(tree)), "psycopg jamais importé"


_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|SET|WHERE|VALUES)\b", re.I | re.S)


def _string_parts(node: ast.AST) -> str:
    return " ".join(
        part.value
        for part in ast.walk(node)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    )


def _is_psycopg_sql(node: ast.AST) -> bool:
    """`sql.SQL("...").format(...)` de psycopg compose le SQL sans injection : autorisé."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "SQL"


def test_depot_postgres_requetes_parametrees():
    """Aucune requête SQL construite par f-string, %, + ou .format() (même via une fonction d'aide)."""
    tree = _postgres_tree()
    offenders = []
    for node in ast.walk(tree):
        built = (
            isinstance(node, ast.JoinedStr)
            and any(isinstance(v, ast.FormattedValue) for v in node.values)
        ) or (
            isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add))
        ) or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and not _is_psycopg_sql(node.func.value)
        )
        if built and _SQL.search(_string_parts(node)):
            offenders.append(node.lineno)
    assert offenders == [], f"SQL construit dynamiquement, lignes {sorted(set(offenders))}"
