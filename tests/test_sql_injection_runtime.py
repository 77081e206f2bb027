"""SQL injection seen at run time (graders/checks/statement_log.py, option `statement_log` of `pytest`).

The hidden tests of C8 pass marker values (with a quote) to the learner's code; the grader reads the
SQL the throwaway PostgreSQL server received. A marker in SQL text is an injection whatever the
Python syntax that built the query; a parameterised query ($1) never is. The string-built variants
of the solution are generated from its source, as data.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from graders.checks.pytest_verdicts import parse_records
from graders.checks.statement_log import NOT_EVALUATED, RULE, Statement, StatementWatch, injected_at, injection_findings
from graders.engine import grade
from graders.labs import load_lab
from graders.manifest import CheckSpec
from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.services import ServicePool, default_pool
from graders.services import postgres as pg
from graders.services import redis as rd
from tests.helpers import REPO

LAB_DIR = REPO / "labs" / "c8-acces-donnees"
MARKER = "cda1f2e3d4c'a9b8c7"
OPTION = "statement_log = true"
STYLES = ("replace-format", "f-string", "percent", "plus", "join", "format")

SERVER_MARKS = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
    pytest.mark.skipif(pg.server_version() < pg.JSON_LOG_MIN_VERSION, reason="PostgreSQL < 15: no JSON log"),
]
SANDBOX_MARKS = SERVER_MARKS + [
    pytest.mark.slow,
    pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"Redis: {rd.unavailable_reason()}"),
    pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                       reason=f"bubblewrap: {BubblewrapSandbox.unavailable_reason()}"),
]


def marked(marks):
    def apply(test):
        for mark in marks:
            test = mark(test)
        return test
    return apply


on_server, in_sandbox = marked(SERVER_MARKS), marked(SANDBOX_MARKS)


# -- where a marker lands in SQL text (no server) -------------------------------------------------

@pytest.mark.parametrize("text", [
    "SELECT id FROM members WHERE last_name ILIKE $1 OR first_name ILIKE $2",  # parameterised: the value is apart
    "SELECT id FROM members WHERE last_name = 'cda1f2e3d4c''a9b8c7'",  # quote doubled: correctly escaped
    "SELECT id FROM members WHERE last_name = E'cda1f2e3d4c\\'a9b8c7'",
    "SELECT $$cda1f2e3d4c'a9b8c7$$",
    "SELECT $q$ a $$ cda1f2e3d4c'a9b8c7 $q$",
    'SELECT "cda1f2e3d4c\'a9b8c7" FROM t',
    "SELECT 1 /* 'cda1f2e3d4c' */",
])
def test_a_value_apart_or_correctly_quoted_is_not_sql(text):
    assert injected_at(Statement(text), MARKER) is None


@pytest.mark.parametrize("text", [
    "SELECT id FROM members WHERE last_name ILIKE '%cda1f2e3d4c'a9b8c7%'",  # the quote closes the literal
    "SELECT id FROM members WHERE lower(email) = 'cda1f2e3d4c'a9b8c7@example.org'",
    "INSERT INTO members VALUES ('O'Brien'); DELETE FROM loans; --', 'cda1f2e3d4c'a9b8c7')",  # in a comment
    "SELECT id FROM documents WHERE title = 'x' AND kind = cda1f2e3d4c'a9b8c7",
    "SELECT E'\\\\' || 'cda1f2e3d4c'a9b8c7'",
    "SELECT $1, 'a' || cda1f2e3d4c'a9b8c7",
])
def test_a_marker_in_sql_text_is_an_injection(text):
    assert injected_at(Statement(text), MARKER) == text.index(MARKER)


def test_a_syntax_error_at_the_marker_is_an_injection():
    text = "SELECT id FROM t ORDER BY cda1f2e3d4c"
    assert injected_at(Statement(text), "cda1f2e3d4c") == text.index("cda1f2e3d4c")  # bare: SQL text anyway
    quoted = "SELECT 'cda1f2e3d4c'"
    assert injected_at(Statement(quoted), "cda1f2e3d4c") is None
    assert injected_at(Statement(quoted, "42601", quoted.index("cda") + 1), "cda1f2e3d4c") == quoted.index("cda")


# -- what a real server receives, without the sandbox ---------------------------------------------

@on_server
def test_parameters_and_client_side_quoting_are_never_flagged_string_building_is():
    service = default_pool().postgres(exposed=True)
    if service.json_log is None:
        pytest.skip(service.json_log_note)
    markers = {f"cda{i:04x}abc'def{i}": f"test_x.py::test_{name}" for i, name in enumerate(
        ["server_side", "client_side", "literal", "copy", "f_string", "percent_in_python", "join"])}
    value = {nodeid: m for m, nodeid in markers.items()}
    with service.provision() as db:
        watch = StatementWatch.start(db)
        with db.connect(autocommit=True) as conn:
            conn.execute("CREATE TABLE people (name text)")
            conn.execute("INSERT INTO people VALUES (%s)", [value["test_x.py::test_server_side"]])
            client = psycopg.ClientCursor(conn)
            client.execute("INSERT INTO people VALUES (%s)", [value["test_x.py::test_client_side"]])
            literal = sql.Literal(value["test_x.py::test_literal"])
            conn.execute(sql.SQL("INSERT INTO people VALUES ({})").format(literal))
            with conn.cursor().copy("COPY people FROM STDIN") as copy:
                copy.write_row([value["test_x.py::test_copy"]])
            for name, build in [("f_string", lambda v: f"SELECT * FROM people WHERE name = '{v}'"),
                                ("percent_in_python", lambda v: "SELECT * FROM people WHERE name = '%s'" % v),
                                ("join", lambda v: "".join(["SELECT * FROM people WHERE name = '", v, "'"]))]:
                with pytest.raises(psycopg.errors.SyntaxError):
                    conn.execute(build(value[f"test_x.py::test_{name}"]))
        observed = watch.collect()
    assert observed.reason is None and observed.statements
    assert any("$1" in s.text for s in observed.statements)
    records = parse_records([{"event": "marker", "nodeid": n, "value": m} for m, n in markers.items()])
    findings = injection_findings(observed, records, Path("/nonexistent"), lambda t: t, lambda t: t)
    flagged = {t for f in findings for t in re.findall(r"test_x\.py::test_\w+", f.message)}
    assert flagged == {"test_x.py::test_f_string", "test_x.py::test_percent_in_python", "test_x.py::test_join"}
    assert all(f.rule == RULE and f.severity == "critical" and f.references == ["CWE-89"] for f in findings)


# -- graded in the sandbox -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def c8_lab():
    """The real c8 lab: its hidden tests watch the statement log."""
    lab = load_lab(LAB_DIR)
    hidden = next(c for c in lab.manifest.checks if c.id == "tests-caches")
    assert hidden.options.get("statement_log") is True, "c8's hidden tests no longer watch the statement log"
    return lab


@pytest.fixture(scope="module")
def injection_lab(tmp_path_factory):
    """c8's schema, fixtures and injection tests alone, as one hidden check watching the statement log."""
    root = tmp_path_factory.mktemp("labs") / "c8-injections"
    (root / "starter" / "db").mkdir(parents=True)
    shutil.copyfile(LAB_DIR / "starter" / "db" / "schema.sql", root / "starter" / "db" / "schema.sql")
    (root / "grader" / "tests").mkdir(parents=True)
    for name in ("conftest.py", "seed.sql", "test_injection.py"):
        shutil.copyfile(LAB_DIR / "grader" / "tests" / name, root / "grader" / "tests" / name)
    # The référentiel criterion, where manifests name them.
    criteria = 'criteria = ["C8.3"]\n' if "criteria" in CheckSpec.model_fields else ""
    (root / "lab.toml").write_text(f"""\
id = "c8-injections"
title = "Injections SQL vues à l'exécution"
kind = "repo"
competences = ["C8"]
themes = ["anssi"]

[limits]
timeout_s = 120

[[checks]]
id = "injections"
kind = "pytest"
points = 10
visible = false
{criteria}[checks.options]
tests = "grader/tests"
services = ["postgres", "redis"]
database_template = ["starter/db/schema.sql"]
per_test_timeout_s = 5
parametrized = "all"
{OPTION}
""", encoding="utf-8")
    return load_lab(root)


@pytest.fixture(scope="module")
def pool():
    return default_pool()


def runtime_findings(result, rule=RULE):
    return [f for c in result.checks for f in c.findings if f.rule == rule]


@in_sandbox
def test_the_c8_solution_gets_no_finding(c8_lab, pool):
    result = grade(c8_lab, c8_lab.path / "solution", lang="en", services={"pool": pool})
    assert result.score == result.max_score, [(c.id, c.score, c.message) for c in result.checks]
    assert runtime_findings(result) == [] and runtime_findings(result, NOT_EVALUATED) == []


@in_sandbox
def test_the_injectable_dao_gets_a_critical_cwe_89_finding_naming_test_file_and_line(c8_lab, pool):
    result = grade(c8_lab, c8_lab.path / "examples" / "dao-injectable", lang="en", services={"pool": pool})
    findings = runtime_findings(result)
    assert findings and runtime_findings(result, NOT_EVALUATED) == []
    assert all(f.severity == "critical" and f.references == ["CWE-89"] and f.confidence == "high" for f in findings)
    source = (c8_lab.path / "examples" / "dao-injectable" / "mediatheque" / "repositories.py").read_text().splitlines()
    assert all(f.path == "mediatheque/repositories.py" and "execute(" in source[f.line - 1] for f in findings)
    named = {t for f in findings for t in re.findall(r"test_injection\.py::\w+", f.message)}
    assert {"test_injection.py::test_injection_recherche_adherents", "test_injection.py::test_injection_courriel",
            "test_injection.py::test_injection_recherche_catalogue",
            "test_injection.py::test_injection_stockee_telle_quelle"} <= named


def string_built(source: str, style: str) -> str:
    """The solution's repositories with every parameterised `execute(query, params)` rewritten to build
    the SQL text from the values, in one Python syntax; the values are quoted without escaping."""
    tree = ast.parse(source)
    rewritten = 0

    class Rewrite(ast.NodeTransformer):
        def visit_Call(self, node):
            nonlocal rewritten
            self.generic_visit(node)
            query = node.args[0] if node.args else None
            if (isinstance(node.func, ast.Attribute) and node.func.attr == "execute" and len(node.args) == 2
                    and isinstance(query, ast.Constant) and "%s" in query.value):
                node.args = [ast.parse(build(query.value, ast.unparse(node.args[1]), style), mode="eval").body]
                rewritten += 1
            return node

    tree = Rewrite().visit(tree)
    helper = ast.parse("def sql_value(value):\n    return 'NULL' if value is None else \"'\" + str(value) + \"'\"\n")
    last_import = max(i for i, node in enumerate(tree.body) if isinstance(node, (ast.Import, ast.ImportFrom)))
    tree.body[last_import + 1:last_import + 1] = helper.body
    assert rewritten >= 12, rewritten
    assert all(len(n.args) == 1 for n in ast.walk(tree) if isinstance(n, ast.Call)
               and isinstance(n.func, ast.Attribute) and n.func.attr == "execute"), "a query is still parameterised"
    return ast.unparse(tree)


def build(query: str, params: str, style: str) -> str:
    parts = query.split("%s")
    values = [f"sql_value(({params})[{i}])" for i in range(len(parts) - 1)]
    pieces = [x for text, value in zip(parts, values + [None]) for x in (repr(text), value) if x and x != "''"]
    if style == "replace-format":
        return f"({query!r}).replace('%s', '{{}}').format(*[sql_value(v) for v in {params}])"
    if style == "format":
        return f"{query.replace('%s', '{}')!r}.format(*map(sql_value, {params}))"
    if style == "percent":
        return f"{query!r} % tuple((sql_value(v) for v in {params}))"
    if style == "plus":
        return " + ".join(pieces)
    if style == "join":
        return "''.join([" + ", ".join(pieces) + "])"
    assert style == "f-string"
    joined = ast.JoinedStr([ast.Constant(parts[0])])
    for value, text in zip(values, parts[1:]):
        joined.values += [ast.FormattedValue(ast.parse(value, mode="eval").body, -1, None), ast.Constant(text)]
    return ast.unparse(joined)


@in_sandbox
@pytest.mark.parametrize("style", STYLES)
def test_every_string_built_rewrite_of_the_solution_gets_the_finding(style, injection_lab, pool, tmp_path):
    submission = tmp_path / style
    shutil.copytree(LAB_DIR / "solution", submission, ignore=shutil.ignore_patterns("__pycache__"))
    repositories = submission / "mediatheque" / "repositories.py"
    rewritten = string_built(repositories.read_text(encoding="utf-8"), style)
    repositories.write_text(rewritten, encoding="utf-8")
    result = grade(injection_lab, submission, lang="en", services={"pool": pool})
    findings = runtime_findings(result)
    assert findings, [(c.id, c.message, [f.rule for f in c.findings]) for c in result.checks]
    assert all(f.severity == "critical" and "CWE-89" in f.references for f in findings)
    assert any(f.path == "mediatheque/repositories.py" and f.line for f in findings)


@in_sandbox
def test_the_solution_alone_is_not_flagged_by_the_injection_tests(injection_lab, pool):
    result = grade(injection_lab, LAB_DIR / "solution", lang="en", services={"pool": pool})
    assert result.score == result.max_score
    assert runtime_findings(result) == [] and runtime_findings(result, NOT_EVALUATED) == []


@in_sandbox
def test_an_external_server_whose_log_cannot_be_read_is_reported_not_evaluated(injection_lab, pool):
    cluster = pool.postgres(exposed=True)
    if not isinstance(cluster, pg.ThrowawayPostgres):
        pytest.skip("needs the throwaway cluster to play DATABASE_URL's server")
    admin = cluster.admin_info
    url = f"postgresql://{admin['user']}:{admin['password']}@/postgres?host={admin['host']}&port={admin['port']}"
    with ServicePool(env={"DATABASE_URL": url}) as external:
        assert external.postgres(exposed=True).exposable, external.notes  # learner code really runs on it
        result = grade(injection_lab, LAB_DIR / "examples" / "dao-injectable", lang="en", services={"pool": external})
    assert runtime_findings(result) == []
    info = runtime_findings(result, NOT_EVALUATED)
    assert len(info) == 1 and info[0].severity == "info" and "DATABASE_URL" in info[0].message

