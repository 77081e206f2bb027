"""Lab c8-acces-donnees graded on real PostgreSQL and Redis: injection, transactions, no leftovers.

(tests/test_labs.py checks every solution, starter and example score; here: the findings and test
verdicts each typical mistake must produce, and that grading leaves no database, role or server.)
"""

from __future__ import annotations

import os

import pytest

from graders.engine import grade
from graders.labs import load_lab
from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.services import default_pool
from graders.services import postgres as pg
from graders.services import redis as rd
from graders.services.base import OWNER_FILE, services_root
from tests.helpers import REPO

LAB_DIR = REPO / "labs" / "c8-acces-donnees"

pytestmark = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.slow,
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
    pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"Redis: {rd.unavailable_reason()}"),
    pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                       reason=f"bubblewrap: {BubblewrapSandbox.unavailable_reason()}"),
]


@pytest.fixture(scope="module")
def lab():
    return load_lab(LAB_DIR)


@pytest.fixture(scope="module")
def pool():
    return default_pool()


@pytest.fixture(scope="module")
def graded(lab, pool):
    cache = {}

    def run(name: str):
        if name not in cache:
            path = LAB_DIR / name if name in ("solution", "starter") else LAB_DIR / "examples" / name
            cache[name] = grade(lab, path, lang="en", services={"pool": pool})
        return cache[name]

    return run


def check(result, check_id: str):
    return next(c for c in result.checks if c.id == check_id)


def verdicts(result, prefix: str) -> dict[str, str]:
    return {t.name: t.status for t in check(result, "tests-caches").tests if t.name.startswith(prefix)}


def redis_folders_of_this_process() -> list[str]:
    mine = []
    for folder in services_root().glob("cda-redis-*"):
        try:
            if int((folder / OWNER_FILE).read_text()) == os.getpid():
                mine.append(folder.name)
        except (OSError, ValueError):
            continue
    return mine


def assert_nothing_left(pool):
    assert pool.postgres(exposed=True).inventory() == {"databases": [], "roles": []}
    assert pool.redis().inventory() == {"servers": []}
    assert redis_folders_of_this_process() == []


def test_solution_full_marks_on_real_servers_and_nothing_left(graded, pool):
    result = graded("solution")
    assert result.score == result.max_score, [(c.id, c.score, c.message) for c in result.checks]
    hidden = check(result, "tests-caches")
    assert len(hidden.tests) >= 35 and all(t.message is None for t in hidden.tests)
    assert {c.id: c.competences for c in result.checks} == dict.fromkeys(["tests-visibles", "tests-caches", "securite"], ["C8"])
    assert_nothing_left(pool)


def test_injectable_dao_loses_injection_points_and_gets_cwe_89(graded, pool):
    result = graded("dao-injectable")
    security = check(result, "securite")
    sqli = [f for f in security.findings if "CWE-89" in f.references]
    assert sqli and all(f.path == "mediatheque/repositories.py" and f.line for f in sqli)
    assert security.score < security.max_score
    injection = verdicts(result, "test_injection.py::")
    failed = {name for name, status in injection.items() if status != "passed"}
    assert {"test_injection.py::test_injection_recherche_adherents", "test_injection.py::test_injection_courriel",
            "test_injection.py::test_injection_recherche_catalogue",
            "test_injection.py::test_injection_stockee_telle_quelle"} <= failed
    solution_injection = verdicts(graded("solution"), "test_injection.py::")
    assert set(solution_injection.values()) == {"passed"}
    assert_nothing_left(pool)


def test_missing_transaction_fails_the_transaction_tests(graded):
    result = graded("sans-transaction")
    transactions = verdicts(result, "test_transactions.py::")
    assert transactions["test_transactions.py::test_transaction_panne_au_milieu_du_pret"] == "failed"
    assert transactions["test_transactions.py::test_transaction_exemplaire_deja_prete_en_fin_de_liste"] == "failed"
    assert all(status == "passed" for name, status in verdicts(result, "test_injection.py::").items())
