"""Acceptance run of the learner's Gherkin scenarios on the reference médiathèque (grader-only).

Runs in the sandbox: `/cda/app` holds the reference application, `/cda/sql/demo.sql` the demo data
set reloaded before each scenario, DATABASE_URL and REDIS_URL the throwaway servers. The learner's
feature files are data: only the step definitions of `etapes.py` run. One JSON line per scenario
run goes to $CDA_BDD_OUT (feature file, scenario line, status, failing step and reason).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "app"))
DEMO = (HERE.parent / "sql" / "demo.sql").read_text(encoding="utf-8")
FEATURES = Path(os.environ.get("CDA_FEATURES", "/workspace/user-stories"))
TODAY = date(2031, 3, 11)  # the demo data set's reference day, a Tuesday


class World:
    """What a scenario's steps share: the app, its browser, the day, the last answer."""

    def __init__(self, app, database_url: str):
        self.app = app
        self.database_url = database_url
        self.today = TODAY
        self.client = app.test_client()
        self.client.environ_base["wsgi.url_scheme"] = "https"  # the app's cookies are Secure
        self.response = None
        self.member_id: int | None = None
        self.card: str | None = None
        self.email: str | None = None
        self.password = "une phrase de passe assez longue"
        self.outcome = None  # (allowed, reason) of a service call
        self.fee = None
        self.counter = 0

    def sql(self, query: str, params=()):
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, params).fetchall()

    def member_columns(self) -> set[str]:
        with psycopg.connect(self.database_url) as conn:
            return {column.name for column in conn.execute("SELECT * FROM members LIMIT 0").description}

    def service(self, name: str):
        return self.app.extensions["mediatheque"][name]


@pytest.fixture
def monde():
    import mediatheque

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE loans, reservations, items, documents, members RESTART IDENTITY CASCADE")
        conn.execute(DEMO)
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    world = None
    app = mediatheque.create_app({"DATABASE_URL": url, "REDIS_URL": os.environ["REDIS_URL"],
                                  "SECRET_KEY": "acceptation-" * 4, "TODAY": lambda: world.today})
    world = World(app, url)
    return world


def _record(entry: dict) -> None:
    out = os.environ.get("CDA_BDD_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _where(feature, scenario) -> dict:
    try:
        path = str(Path(feature.filename).resolve().relative_to(FEATURES.resolve()))
    except ValueError:
        path = Path(feature.filename).name
    return {"feature": path, "line": scenario.line_number, "scenario": scenario.name}


def pytest_bdd_after_scenario(request, feature, scenario):
    failed = getattr(request.node, "_cda_failed", None)
    if failed is None:
        _record({**_where(feature, scenario), "status": "passed"})


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    request.node._cda_failed = True
    _record({**_where(feature, scenario), "status": "failed", "step": f"{step.keyword} {step.name}",
             "step_line": step.line_number, "reason": (str(exception).strip().splitlines() or [type(exception).__name__])[0][:300]})


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    request.node._cda_failed = True
    _record({**_where(feature, scenario), "status": "unknown-step", "step": f"{step.keyword} {step.name}",
             "step_line": step.line_number, "reason": "étape hors du vocabulaire"})
