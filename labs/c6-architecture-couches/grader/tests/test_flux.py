"""Chaque accès aux dépôts déclenché par une requête HTTP doit venir de la couche services.

Les dépôts sont enveloppés d'espions qui notent le module appelant (le premier cadre de pile
de `mediatheque` hors de `mediatheque.data`). Voit ce qu'import-linter ne voit pas : dépôts
passés par `app.config`, par le module racine, ou atteints via un attribut privé d'un service.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path


def _caller_module() -> str | None:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if (name == "mediatheque" or name.startswith("mediatheque.")) and not (
            name == "mediatheque.data" or name.startswith("mediatheque.data.")
        ):
            return name
        frame = frame.f_back
    return None


class _Spy:
    def __init__(self, target, label, calls):
        self._target = target
        self._label = label
        self._calls = calls

    def __getattr__(self, name):
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def spied(*args, **kwargs):
            self._calls.append((f"{self._label}.{name}", _caller_module()))
            return attribute(*args, **kwargs)

        return spied


def _lend(client, member_id=1, item_id=2):
    return client.post("/api/loans", json={"member_id": member_id, "item_id": item_id})


def _check_flow(repos, data, make_client, action, setup=None):
    calls: list[tuple[str, str | None]] = []
    spied = data.Repositories(
        members=_Spy(repos.members, "members", calls),
        items=_Spy(repos.items, "items", calls),
        loans=_Spy(repos.loans, "loans", calls),
        reservations=_Spy(repos.reservations, "reservations", calls),
    )
    client = make_client(spied)
    if setup is not None:
        assert setup(client).status_code < 400
    calls.clear()
    response = action(client)
    assert response.status_code < 400, response.get_data(as_text=True)
    assert calls, "aucun accès aux dépôts observé"
    outside = [
        call
        for call in calls
        if not (call[1] == "mediatheque.services" or (call[1] or "").startswith("mediatheque.services."))
    ]
    assert outside == []


def test_flux_catalogue(repos, data, make_client):
    _check_flow(repos, data, make_client, lambda c: c.get("/api/items"))


def test_flux_document(repos, data, make_client):
    _check_flow(repos, data, make_client, lambda c: c.get("/api/items/1"))


def test_flux_pret(repos, data, make_client):
    _check_flow(repos, data, make_client, lambda c: _lend(c))


def test_flux_retour(repos, data, make_client):
    _check_flow(
        repos, data, make_client,
        lambda c: c.post("/api/returns", json={"item_id": 3}),
        setup=lambda c: _lend(c, 1, 3),
    )


def test_flux_prets_adherent(repos, data, make_client):
    _check_flow(
        repos, data, make_client,
        lambda c: c.get("/api/members/1/loans"),
        setup=lambda c: _lend(c, 1, 4),
    )


def test_flux_reservation(repos, data, make_client):
    _check_flow(
        repos, data, make_client,
        lambda c: c.post("/api/reservations", json={"member_id": 2, "item_id": 5}),
    )


def _imported_modules(path: Path, package: str) -> set[str]:
    """Modules importés par un fichier (imports relatifs résolus depuis `package`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join(base + ([module] if module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_presentation_n_importe_pas_les_depots():
    presentation = importlib.import_module("mediatheque.presentation")
    paths = list(getattr(presentation, "__path__", []) or [])
    if paths:
        root = Path(paths[0])
        files = [(p, ".".join(["mediatheque.presentation", *p.parent.relative_to(root).parts]))
                 for p in sorted(root.rglob("*.py"))]
    else:
        files = [(Path(presentation.__file__), "mediatheque")]
    offenders = [
        f"{path.name}: {module}"
        for path, package in files
        for module in _imported_modules(path, package)
        if module == "mediatheque.data" or module.startswith("mediatheque.data.")
    ]
    assert offenders == []
