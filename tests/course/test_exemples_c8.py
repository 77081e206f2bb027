"""C8 worked example (course/competences/c8.md): depot_prets.py against a throwaway PostgreSQL (the C7
reference schema, migrations 0001-0002, and the C7 example's data set) and a throwaway Redis: parameterised queries that injections do not
reach, an all-or-nothing transaction, translated errors, a Redis cache that survives Redis going away."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from datetime import date
from types import SimpleNamespace

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graders.services import default_pool
from graders.services import postgres as pg
from graders.services import redis as rd
from tests.helpers import REPO

EXAMPLES = REPO / "course" / "exemples" / "c8"
FILES = ["depot_prets.py"]
C7 = REPO / "course" / "exemples" / "c7"
MIGRATIONS = REPO / "course" / "mediatheque" / "migrations"
SCHEMA = "\n".join((MIGRATIONS / name).read_text(encoding="utf-8")
                   for name in ("0001_catalogue_adherents_prets.sql", "0002_reservations.sql"))
TODAY = date(2031, 3, 11)

pytestmark = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
    pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"Redis: {rd.unavailable_reason()}"),
]


def test_every_example_file_is_tested():
    assert sorted(p.name for p in EXAMPLES.iterdir() if p.name != "__pycache__") == FILES


@pytest.fixture(scope="module")
def dp():
    """depot_prets.py, over the reference package `mediatheque` (imported from course/mediatheque/app, removed afterwards)."""
    path = str(REPO / "course" / "mediatheque" / "app")
    sys.path.insert(0, path)
    try:
        spec = importlib.util.spec_from_file_location("depot_prets_c8", EXAMPLES / "depot_prets.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        errors = importlib.import_module("mediatheque.errors")
        database = importlib.import_module("mediatheque.database")
        yield SimpleNamespace(LoanDesk=module.LoanDesk, TitleSearch=module.TitleSearch,
                              Database=database.Database, InvalidInputError=errors.InvalidInputError,
                              NotFoundError=errors.NotFoundError, ConflictError=errors.ConflictError,
                              DataUnavailableError=errors.DataUnavailableError)
    finally:
        sys.path.remove(path)
        for name in [n for n in sys.modules if n == "mediatheque" or n.startswith("mediatheque.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def servers():
    pool = default_pool()
    with pool.postgres(exposed=False).provision() as db, pool.redis().provision() as cache:
        yield db, cache


@pytest.fixture
def database(servers, dp):
    db, cache = servers
    with db.connect() as conn:
        if not _has_schema(conn):
            conn.execute(SCHEMA)
        conn.execute((C7 / "donnees.sql").read_text(encoding="utf-8"))
    cache.client().flushdb()
    return dp.Database(db.host_url)


def _has_schema(conn) -> bool:
    return conn.execute("SELECT to_regclass('public.loans') IS NOT NULL").fetchone()[0]


def loans(servers) -> int:
    with servers[0].connect() as conn:
        return conn.execute("SELECT count(*) FROM loans").fetchone()[0]


def test_lend_many_records_every_loan_with_its_due_date(dp, database, servers):
    due = dp.LoanDesk(database).lend_many("M000004", ["EX000104", "EX000108"], TODAY)
    assert due == [date(2031, 3, 25), date(2031, 3, 18)]  # cd 14 days, revue 7 days
    assert loans(servers) == 7


def test_lend_many_is_all_or_nothing(dp, database, servers):
    """EX000102 is already lent: the unique index refuses the second loan, the first is rolled back too."""
    with pytest.raises(dp.ConflictError):
        dp.LoanDesk(database).lend_many("M000004", ["EX000104", "EX000102"], TODAY)
    assert loans(servers) == 5


def test_unknown_item_rolls_back_and_is_a_domain_error(dp, database, servers):
    with pytest.raises(dp.NotFoundError):
        dp.LoanDesk(database).lend_many("M000004", ["EX000104", "EX999999"], TODAY)
    assert loans(servers) == 5


def test_quota_is_checked_before_writing(dp, database, servers):
    with pytest.raises(dp.ConflictError, match="quota"):
        dp.LoanDesk(database).lend_many("M000001", ["EX000104", "EX000105", "EX000107", "EX000108", "EX000109",
                                                          "EX000110"], TODAY)
    assert loans(servers) == 5


@pytest.mark.parametrize("payload", ["M000001' OR '1'='1", "M000001'; DELETE FROM loans; --", "M00000%", 42, None, "M0000011"])
def test_injection_attempts_on_the_card_are_refused_before_the_database(dp, database, servers, payload):
    with pytest.raises(dp.InvalidInputError):
        dp.LoanDesk(database).member_id(payload)
    assert loans(servers) == 5


@pytest.mark.parametrize("payload", ["' OR '1'='1", "x'; DELETE FROM loans; --", "%", "_"])
def test_injection_attempts_on_the_search_find_nothing_and_change_nothing(dp, database, servers, payload):
    search = dp.TitleSearch(database, servers[1].client())
    assert search.titles(payload) == []
    assert loans(servers) == 5


def test_search_is_cached_in_redis_with_an_expiry(dp, database, servers):
    client = servers[1].client()
    search = dp.TitleSearch(database, client)
    assert search.titles(" Prince ") == ["Le Petit Prince"]
    assert 0 < client.ttl("mediatheque:titres:prince") <= 300
    client.set("mediatheque:titres:prince", '["depuis le cache"]')
    assert search.titles("prince") == ["depuis le cache"]


def test_search_still_works_when_redis_is_unreachable(dp, database):
    unreachable = redis.Redis(unix_socket_path="/nonexistent/redis.sock", socket_timeout=1, retry=Retry(NoBackoff(), 0))
    assert dp.TitleSearch(database, unreachable).titles("candide") == ["Candide"]


def test_an_unreachable_database_is_a_domain_error_without_the_password(dp):
    db = dp.Database("postgresql://app:s3cret-password@127.0.0.1:1/nowhere")
    with pytest.raises(dp.DataUnavailableError) as refused:
        dp.LoanDesk(db).member_id("M000001")
    assert "s3cret" not in str(refused.value) and refused.value.__cause__ is None
