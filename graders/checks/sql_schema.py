"""`sql-schema` check (C7): a relational design loaded into a fresh PostgreSQL database, checked by introspection.

The learner delivers a conceptual model (MCD: Mermaid erDiagram or PlantUML text), DDL, a fake data
set and the application role's privileges (SQL files using the psql variable `:"app_role"`).

What happens, per submission:
1. Three fresh databases, each with its own LOGIN role (graders.services.postgres): A gets the DDL,
   the data set and the privileges; C gets the DDL and the privileges, then the grader's reference
   data; B receives a dump of A. Each also gets an application role (`<db>_app`, LOGIN).
2. psql loads the files in the sandbox (graders/checks/sql_runner/load_sql.py), as the database's
   own role with a statement timeout: never as a superuser, and psql's meta-commands only reach
   the sandbox.
3. The grader introspects A (pg_catalog, as the superuser, with search_path = pg_catalog so no
   learner-defined function or operator can run), and runs its own SQL on A, B and C as their
   unprivileged roles only (pg_dump/pg_restore, reference data and queries, constraint probes,
   privilege probes as the application role), each connection under a deadline.
4. Everything is dropped afterwards, whatever happened.

The lab's spec file (options.spec, grader-only) lists the expected tables and columns, foreign
keys with their allowed ON DELETE rules, unique and check constraints, the data set's minimums, the
application role's allowed and forbidden operations, and reference data with queries and their
expected rows. `{member}`-style placeholders in the spec's SQL name the submission's actual table
(singular or plural), quoted.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import threading
import tomllib
import unicodedata
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding, TestCase
from graders.sandbox.base import WORKSPACE

RUNNER_DIR = Path(__file__).resolve().parent / "sql_runner"

REF_CNIL_MINIMISATION = "CNIL, Guide RGPD de l'équipe de développement, fiche 7 (minimiser les données collectées)"
REF_CNIL_TEST_DATA = "CNIL, Guide RGPD de l'équipe de développement, fiche 11 (données de test fictives)"
REF_CNIL_IDENTIFY = "CNIL, Guide RGPD de l'équipe de développement, fiche 2 (identifier les données personnelles)"
REF_ANSSI_PRIVILEGE = "ANSSI, Guide d'hygiène informatique (principe du moindre privilège)"
REF_CWE_PRIVILEGE = "CWE-250"
REF_PG_CONSTRAINTS = "PostgreSQL 15, §5.4 Constraints"
REF_PG_FK = "PostgreSQL 15, §5.4.5 Foreign Keys"
REF_PG_PRIVILEGES = "PostgreSQL 15, §5.7 Privileges"
REF_RFC_2606 = "RFC 2606 (example.org, .test, .invalid)"

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PERSONAL_HINT = re.compile(r"(^|_)(nom|prenom|name|email|mail|courriel|phone|tel|telephone|mobile|portable|address|"
                           r"adresse|birth|naissance|city|ville|postal|zip)(_|$)")
SUPERFLUOUS = re.compile(r"(^|_)(birth_?date|date_of_birth|date_naissance|birthday|nir|social_security|securite_sociale|"
                         r"secu|ssn|religion|nationality|nationalite|health|sante|handicap|gender|sexe|ethnic|ethnie|"
                         r"political|politique|salary|salaire|income|revenu)(_|$)")
RESERVED_EMAIL = re.compile(r"@([a-z0-9-]+\.)*(example\.(org|com|net)|[a-z0-9-]+\.(test|example|invalid|localhost))$")
FICTION_PHONES = ("019900", "063998")  # ARCEP ranges reserved for fiction: 01 99 00 xx xx, 06 39 98 xx xx
ON_DELETE = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
INSUFFICIENT_PRIVILEGE = "42501"


# --- options and spec ---------------------------------------------------------------------------
class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mcd: float = Field(5, ge=0)
    load: float = Field(5, ge=0)
    tables: float = Field(15, ge=0)
    primary_keys: float = Field(5, ge=0)
    foreign_keys: float = Field(15, ge=0)
    constraints: float = Field(10, ge=0)
    fk_indexes: float = Field(5, ge=0)
    naming: float = Field(5, ge=0)
    privileges: float = Field(15, ge=0)
    personal_data: float = Field(5, ge=0)
    dataset: float = Field(8, ge=0)
    reference_queries: float = Field(7, ge=0)


def _relative(paths: list[str]) -> list[str]:
    for path in paths:
        if Path(path).is_absolute() or ".." in Path(path).parts:
            raise ValueError(f"{path!r} must be a path relative to the submission")
    return paths


class SqlSchemaOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    spec: str = Field(description="lab-relative TOML file (grader-only) validated by SchemaSpec")
    schema_files: list[str] = Field(default_factory=lambda: ["sql/schema.sql"], min_length=1)
    data_files: list[str] = Field(default_factory=lambda: ["sql/donnees.sql"])
    role_files: list[str] = Field(default_factory=lambda: ["sql/roles.sql"])
    mcd_files: list[str] = Field(default_factory=lambda: ["conception/mcd.mmd", "conception/mcd.puml"])
    mcd_entities: list[list[str]] = Field(default_factory=list)
    mcd_min_relations: int = Field(0, ge=0)
    app_role_variable: str = Field("app_role", pattern=r"^[a-z_][a-z0-9_]*$")
    personal_comment: str = "donnée personnelle"
    statement_timeout_s: float = Field(10, gt=0, le=300)
    max_database_mb: int = Field(200, ge=16, le=4096)
    weights: Weights = Field(default_factory=Weights)

    @field_validator("schema_files", "data_files", "role_files", "mcd_files")
    @classmethod
    def submission_relative(cls, value: list[str]) -> list[str]:
        return _relative(value)

    @field_validator("spec")
    @classmethod
    def spec_relative(cls, value: str) -> str:
        if Path(value).is_absolute():
            raise ValueError("spec must be a path relative to the lab folder")
        return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnSpec(Strict):
    name: str
    types: list[str] = Field(min_length=1)
    not_null: bool = False


class TableSpec(Strict):
    name: str
    plural: str | None = None
    columns: list[ColumnSpec] = Field(min_length=1)
    personal: list[str] = Field(default_factory=list)


class ForeignKeySpec(Strict):
    table: str
    column: str
    references: str
    on_delete: list[str] = Field(min_length=1)
    why: str | None = None


class UniqueSpec(Strict):
    table: str
    columns: list[str] = Field(min_length=1)
    partial: bool = False
    why: str | None = None


class CheckConstraintSpec(Strict):
    table: str
    column: str


class ColumnRef(Strict):
    table: str
    column: str


class DatasetSpec(Strict):
    min_rows: dict[str, int] = Field(default_factory=dict)
    email: ColumnRef | None = None
    phone: ColumnRef | None = None


class Probe(Strict):
    name: str
    sql: str
    sqlstate: list[str] = Field(default_factory=list)


class PrivilegesSpec(Strict):
    allowed: list[Probe] = Field(default_factory=list)
    forbidden: list[Probe] = Field(default_factory=list)


class ReferenceQuery(Strict):
    name: str
    sql: str
    expected: list[list]


class ReferenceSpec(Strict):
    setup: str
    queries: list[ReferenceQuery] = Field(default_factory=list)
    rejected: list[Probe] = Field(default_factory=list)


class SchemaSpec(Strict):
    tables: list[TableSpec] = Field(min_length=1)
    foreign_keys: list[ForeignKeySpec] = Field(default_factory=list)
    unique: list[UniqueSpec] = Field(default_factory=list)
    check_constraints: list[CheckConstraintSpec] = Field(default_factory=list)
    dataset: DatasetSpec = Field(default_factory=DatasetSpec)
    privileges: PrivilegesSpec = Field(default_factory=PrivilegesSpec)
    reference: ReferenceSpec | None = None

    def table(self, name: str) -> TableSpec:
        return next(t for t in self.tables if t.name == name)


def load_spec(path: Path) -> SchemaSpec:
    return SchemaSpec.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


def quote(identifier: str) -> str:
    """An SQL identifier, double-quoted (names come from the learner's catalog)."""
    return '"' + identifier.replace('"', '""') + '"'


# --- what the database says ---------------------------------------------------------------------
@dataclass
class Column:
    name: str
    type: str
    is_enum: bool
    not_null: bool
    comment: str | None
    attnum: int


@dataclass
class Table:
    oid: int
    schema: str
    name: str
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def qualified(self) -> str:
        return f"{quote(self.schema)}.{quote(self.name)}"

    def column_names(self, attnums) -> list[str]:
        by_num = {c.attnum: c.name for c in self.columns.values()}
        return [by_num.get(n, "?") for n in attnums]


@dataclass
class Constraint:
    table_oid: int
    name: str
    type: str  # p f u c x
    columns: list[int]
    ref_oid: int | None
    on_delete: str | None
    definition: str


@dataclass
class Index:
    table_oid: int
    name: str
    unique: bool
    columns: list[int]
    partial: bool


@dataclass
class Catalog:
    tables: dict[int, Table]
    constraints: list[Constraint]
    indexes: list[Index]
    schemas: list[str]

    def by_name(self) -> dict[str, Table]:
        found: dict[str, Table] = {}
        for table in sorted(self.tables.values(), key=lambda t: (t.schema != "public", t.schema)):
            found.setdefault(table.name, table)
        return found


def read_catalog(conn) -> Catalog:
    """Tables, columns, constraints and indexes outside the system schemas. `conn` is a superuser
    session whose search_path is pg_catalog only (graders.services.postgres.ADMIN_OPTIONS), so no
    function or operator defined by the learner can be picked up by these queries."""
    tables = {
        oid: Table(oid, schema, name)
        for oid, schema, name in conn.execute(
            "SELECT c.oid, n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = ANY (ARRAY['r', 'p']::\"char\"[]) "
            "AND n.nspname <> ALL (ARRAY['pg_catalog', 'information_schema']::name[]) "
            "AND n.nspname !~ '^pg_'")
    }
    oids = list(tables)
    for relid, attnum, name, typ, typtype, notnull, comment in conn.execute(
            "SELECT a.attrelid::int8, a.attnum, a.attname, "
            "format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL), "
            "t.typtype, a.attnotnull, col_description(a.attrelid, a.attnum) "
            "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid::int8 = ANY (%s::int8[]) "
            "AND a.attnum > 0 AND NOT a.attisdropped", [oids]):
        tables[relid].columns[name] = Column(name, typ, typtype == "e", notnull, comment, attnum)
    constraints = [
        Constraint(relid, name, contype, list(keys or []), ref or None, ON_DELETE.get(deltype) if contype == "f" else None, definition)
        for relid, name, contype, keys, ref, deltype, definition in conn.execute(
            "SELECT conrelid::int8, conname, contype, conkey, "
            "NULLIF(confrelid, 0)::int8, confdeltype, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid::int8 = ANY (%s::int8[])",
            [oids])
    ]
    indexes = [
        Index(relid, name, unique, [k for k in keys], partial)
        for relid, name, unique, keys, partial in conn.execute(
            "SELECT x.indrelid::int8, i.relname, x.indisunique, x.indkey::int2[], "
            "x.indpred IS NOT NULL FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid::int8 = ANY (%s::int8[])", [oids])
    ]
    schemas = [r[0] for r in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' "
        "AND nspname <> 'information_schema' ORDER BY 1")]
    return Catalog(tables, constraints, indexes, schemas)


# --- helpers -------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower case, accents removed (for names in diagrams and comments)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def render(sql_text: str, names: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: names.get(m.group(1), m.group(0)), sql_text)


def normalise_rows(rows) -> list[list]:
    return [[None if v is None else str(v) for v in row] for row in rows]


def first_error(stderr: str) -> tuple[str | None, int | None]:
    """The first psql error line: (message, line in the file)."""
    for line in stderr.splitlines():
        match = re.match(r"^psql:[^:]*:(\d+): (ERROR|FATAL|error):\s*(.*)$", line)
        if match:
            return match.group(3).strip(), int(match.group(1))
    lines = [l for l in stderr.splitlines() if l.strip()]
    return (lines[-1].strip()[:300] if lines else None), None


@dataclass
class Criterion:
    key: str
    title: str
    fraction: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    note: str | None = None


class Deadline:
    """Terminates a connection's backend (through the superuser) if it outlives `seconds`.

    statement_timeout alone is not enough: learner-defined functions may reset it."""

    def __init__(self, db, conn, seconds: float):
        self.db, self.pid = db, conn.info.backend_pid
        self.timer = threading.Timer(seconds, self.fire)
        self.fired = False

    def fire(self) -> None:
        self.fired = True
        try:
            with self.db.admin() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [self.pid])
        except Exception:  # noqa: BLE001 (best effort; the database is dropped afterwards anyway)
            pass

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()


@contextmanager
def learner_connection(db, seconds: float, role: str | None = None) -> Iterator:
    """A connection as the database's own role (or its app role), autocommit, under a deadline."""
    conn = db.connect(role=role, autocommit=True, options=f"-c statement_timeout={int(seconds * 1000)}")
    try:
        with Deadline(db, conn, seconds * 6):
            yield conn
    finally:
        conn.close()


def db_error_text(exc, _=lambda text: text, hidden: tuple[str, ...] = ()) -> str:
    """What a learner may read of an error the grader's own SQL met on their schema.

    PostgreSQL's primary message only (its DETAIL quotes rows). An error raised from inside the
    learner's triggers or functions (it has a CONTEXT, or a PL/pgSQL SQLSTATE) is not quoted: RAISE
    could put the grader's hidden data, or anything else, in it. The grader's own literals are cut.
    """
    diag = getattr(exc, "diag", None)
    state = getattr(exc, "sqlstate", None) or "?"
    if diag is not None and (diag.context or state.startswith("P0")):
        return _("error raised by a trigger or function of your schema (SQLSTATE {state})").format(state=state)
    message = ((diag.message_primary if diag is not None else None) or str(exc).split("\n")[0]).strip()
    for literal in sorted(hidden, key=len, reverse=True):
        message = message.replace(literal, "…")
    return message[:300]


SQL_LITERAL = re.compile(r"'((?:[^'\n]|'')+)'")


def literals_of(*sql_texts: str) -> tuple[str, ...]:
    """String literals of the grader's SQL (its hidden reference data), to cut from messages."""
    found = {m.group(1).replace("''", "'") for text in sql_texts for m in SQL_LITERAL.finditer(text)}
    return tuple(value for value in found if len(value) >= 3)


def hidden_literals(spec: "SchemaSpec") -> tuple[str, ...]:
    ref = spec.reference
    return literals_of(*(probe.sql for probe in spec.privileges.allowed + spec.privileges.forbidden),
                       *((ref.setup, *(q.sql for q in ref.queries), *(c.sql for c in ref.rejected)) if ref else ()))


def probe(conn, statement: str, _=lambda text: text, hidden: tuple[str, ...] = ()) -> tuple[bool, str | None, str | None]:
    """Run one statement in a transaction that is always rolled back: (succeeded, sqlstate, message)."""
    import psycopg

    try:
        with conn.transaction(force_rollback=True):
            conn.execute(statement)
        return True, None, None
    except psycopg.Error as exc:
        return False, exc.sqlstate, db_error_text(exc, _, hidden)


# --- the check -------------------------------------------------------------------------------------
class SqlSchemaCheck(Check):
    kind = "sql-schema"
    Options = SqlSchemaOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts: SqlSchemaOptions = self.options
        try:
            spec = load_spec(ctx.lab.resolve(opts.spec))
        except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
            return CheckOutcome(0.0, error=True, message=f"{opts.spec}: {str(exc).splitlines()[0][:300]}")
        from graders.services import acquire
        from graders.services.postgres import pg_bin

        run = Grading(ctx, opts, spec)
        criteria = [run.mcd()]
        service = acquire(ctx, "postgres", exposed=True)
        with ExitStack() as stack:
            db_a = stack.enter_context(service.provision())
            db_c = stack.enter_context(service.provision())
            db_a.add_role("app")
            db_c.add_role("app")
            load = run.load(db_a, db_c, pg_bin("psql"))
            criteria.append(load)
            with db_a.admin() as admin:
                catalog = read_catalog(admin)
                run.resolve(catalog)
                criteria += [run.tables(catalog), run.primary_keys(catalog), run.foreign_keys(catalog)]
                reference_ok, rejected = run.reference_setup(db_c)
                criteria += [run.constraints(catalog, rejected), run.fk_indexes(catalog), run.naming(catalog),
                             run.privileges(admin, catalog, db_a, db_c, reference_ok),
                             run.personal_data(catalog)]
            criteria.append(run.dataset(db_a, lambda: stack.enter_context(service.provision())))
            criteria.append(run.reference_queries(db_c, reference_ok))
        return run.outcome(criteria)


class Grading:
    """The state of one grading run of `sql-schema` (one method per criterion)."""

    def __init__(self, ctx: CheckContext, opts: SqlSchemaOptions, spec: SchemaSpec):
        self.ctx, self.opts, self.spec, self._ = ctx, opts, spec, ctx._
        self.names: dict[str, str] = {}  # spec table -> actual quoted name
        self.hidden = hidden_literals(spec)
        self.actual: dict[str, Table] = {}  # spec table -> Table
        self.schema_file = opts.schema_files[0]
        self.table_lines: dict[str, int] = {}
        self.loaded: dict[str, dict] = {}

    # -- shared ----------------------------------------------------------------------------------
    def finding(self, rule: str, message: str, *, severity: str = "medium", table: str | None = None,
                references: list[str] | None = None, help: str | None = None, path: str | None = None,
                line: int | None = None) -> Finding:
        if path is None and table is not None:
            path, line = self.schema_file, self.table_lines.get(table)
        return Finding(rule=rule, severity=severity, message=message, path=path, line=line,
                       references=references or [], help=help)

    def resolve(self, catalog: Catalog) -> None:
        by_name = catalog.by_name()
        for table in self.spec.tables:
            found = by_name.get(table.name) or (by_name.get(table.plural) if table.plural else None)
            if found is not None:
                self.actual[table.name] = found
        schema = next(iter(self.actual.values())).schema if self.actual else "public"
        self.names = {t.name: (self.actual[t.name].qualified if t.name in self.actual else f"{quote(schema)}.{quote(t.name)}")
                      for t in self.spec.tables}
        self.names["schema"] = quote(schema)
        text = self.read(self.schema_file) or ""
        for number, line in enumerate(text.splitlines(), 1):
            match = re.match(r'\s*create\s+table\s+(?:if\s+not\s+exists\s+)?(?:"?\w+"?\.)?"?(\w+)"?', line, re.I)
            if match:
                self.table_lines.setdefault(match.group(1).lower(), number)
        for spec_name, table in self.actual.items():
            if table.name in self.table_lines:
                self.table_lines[spec_name] = self.table_lines[table.name]

    def read(self, relative: str) -> str | None:
        path = self.ctx.workspace / relative
        if not path.is_file() or path.is_symlink():
            return None
        return path.read_bytes()[:500_000].decode("utf-8", "replace")

    def shown(self, spec_table: str) -> str:
        return self.actual[spec_table].name if spec_table in self.actual else spec_table

    # -- 1. MCD ----------------------------------------------------------------------------------
    def mcd(self) -> Criterion:
        _ = self._
        crit = Criterion("mcd", _("Conceptual data model (MCD)"))
        path = next((p for p in self.opts.mcd_files if self.read(p) is not None), None)
        if path is None:
            crit.findings.append(self.finding("mcd-missing", _("No conceptual model found (expected one of: {files}).").format(
                files=", ".join(self.opts.mcd_files)), severity="high", path=self.opts.mcd_files[0]))
            return crit
        text = self.read(path) or ""
        folded = fold(text)
        if "erdiagram" not in folded and "@startuml" not in folded:
            crit.findings.append(self.finding("mcd-format", _("{path}: neither a Mermaid erDiagram nor a PlantUML diagram.").format(
                path=path), severity="low", path=path))
        words = set(re.findall(r"[a-z_][a-z0-9_]*", folded))
        missing = [names[0] for names in self.opts.mcd_entities if not any(fold(n) in words for n in names)]
        for name in missing:
            crit.findings.append(self.finding("mcd-entity-missing", _("{path}: entity {entity} is missing from the model.").format(
                path=path, entity=name.upper()), path=path))
        relations = sum(1 for line in text.splitlines()
                        if re.search(r"\w\S*\s*\S*(--|\.\.)\S*\s*\w", line) and not line.strip().startswith(("%%", "'")))
        found = len(self.opts.mcd_entities) - len(missing)
        entity_part = found / len(self.opts.mcd_entities) if self.opts.mcd_entities else 1.0
        relation_part = min(1.0, relations / self.opts.mcd_min_relations) if self.opts.mcd_min_relations else 1.0
        if relation_part < 1:
            crit.findings.append(self.finding("mcd-relations", _(
                "{path}: {count} association(s) drawn, at least {minimum} expected (with their cardinalities).").format(
                path=path, count=relations, minimum=self.opts.mcd_min_relations), path=path))
        crit.fraction = 0.8 * entity_part + 0.2 * relation_part
        return crit

    # -- 2. loading ------------------------------------------------------------------------------
    def load(self, db_a, db_c, psql: str) -> Criterion:
        _ = self._
        crit = Criterion("load", _("Scripts run on an empty database"))
        key = secrets.token_hex(32)

        def creds(db):
            return {"host": db.env["PGHOST"], "port": db.env["PGPORT"], "user": db.role, "password": db.password,
                    "dbname": db.name}

        steps = []
        for prefix, db, groups in (("a", db_a, (self.opts.schema_files, self.opts.data_files, self.opts.role_files)),
                                   ("c", db_c, (self.opts.schema_files, self.opts.role_files))):
            app_role = db.extra_roles["app"][0]
            for files in groups:
                for relative in files:
                    steps.append({"key": f"{prefix}:{relative}", "db": creds(db), "file": f"{WORKSPACE}/{relative}",
                                  "vars": {self.opts.app_role_variable: app_role}})
        plan = {"key": key, "psql": psql, "timeout_ms": int(self.opts.statement_timeout_s * 1000), "steps": steps,
                "file_timeout_s": max(30, self.opts.statement_timeout_s * 6)}
        from graders.services.postgres import SizeGuard

        with SizeGuard(db_a, self.opts.max_database_mb) as guard_a, SizeGuard(db_c, self.opts.max_database_mb) as guard_c:
            result, out = self.ctx.run_sandboxed(
                [sys.executable, "-I", "/cda/runner/load_sql.py", "/out/load.json"],
                trusted={"runner": RUNNER_DIR}, outputs=["load.json"], env=db_a.env, mounts=db_a.mounts,
                input=(json.dumps(plan) + "\n").encode())
        if guard_a.tripped or guard_c.tripped:
            crit.findings.append(self.finding("sql-database-too-large", _(
                "Loading stopped: the database grew past {limit} MB.").format(limit=self.opts.max_database_mb),
                severity="high", path=(self.opts.data_files or self.opts.schema_files)[0]))
        report = self.verified_report(out / "load.json", bytes.fromhex(key))
        if report is None:
            crit.findings.append(self.finding("sql-load-report", _(
                "The SQL scripts could not be loaded (no trustworthy report from the loader: {detail})."
            ).format(detail=(result.stderr.strip().splitlines() or ["?"])[-1][:200]), severity="high"))
            return crit
        self.loaded = report
        files = self.opts.schema_files + self.opts.data_files + self.opts.role_files
        ok = 0
        for relative in files:
            entry = report.get(f"a:{relative}", {"status": "missing"})
            if entry["status"] == "ok":
                ok += 1
            elif entry["status"] == "missing":
                crit.findings.append(self.finding("sql-file-missing", _("{path}: file missing.").format(path=relative),
                                                  severity="high", path=relative))
            else:
                message, line = first_error(entry.get("stderr", ""))
                crit.findings.append(self.finding("sql-load-error", _("{path}: psql stopped on an error: {error}").format(
                    path=relative, error=message or "?"), severity="high", path=relative, line=line,
                    help=_("Run the file on an empty database: psql -v ON_ERROR_STOP=1 -v app_role=mediatheque_app -f {path}").format(
                        path=relative)))
        crit.fraction = ok / len(files)
        return crit

    @staticmethod
    def verified_report(path: Path, key: bytes) -> dict | None:
        import hashlib
        import hmac

        try:
            envelope = json.loads(path.read_text(encoding="utf-8"))
            body = envelope["report"]
            expected = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, str(envelope["mac"])):
                return None
            return json.loads(body)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # -- 3. tables and columns -------------------------------------------------------------------
    def tables(self, catalog: Catalog) -> Criterion:
        _ = self._
        crit = Criterion("tables", _("Required tables and columns"))
        total = earned = 0.0
        for table in self.spec.tables:
            total += len(table.columns)
            actual = self.actual.get(table.name)
            if actual is None:
                names = table.name + (f" / {table.plural}" if table.plural else "")
                crit.findings.append(self.finding("sql-missing-table", _("Table {table} is missing (required by the specification).").format(
                    table=names), severity="high", path=self.schema_file))
                continue
            for column in table.columns:
                found = actual.columns.get(column.name)
                if found is None:
                    crit.findings.append(self.finding("sql-missing-column", _("Table {table}: column {column} is missing.").format(
                        table=actual.name, column=column.name), table=table.name))
                    continue
                if found.type in column.types or (found.is_enum and "enum" in column.types):
                    earned += 1
                else:
                    earned += 0.5
                    crit.findings.append(self.finding("sql-column-type", _(
                        "Table {table}: column {column} is {type}; expected {expected}.").format(
                        table=actual.name, column=column.name, type=found.type, expected=" / ".join(column.types)),
                        severity="low", table=table.name))
        crit.fraction = earned / total if total else 1.0
        return crit

    # -- 4. primary keys ---------------------------------------------------------------------------
    def primary_keys(self, catalog: Catalog) -> Criterion:
        _ = self._
        crit = Criterion("primary_keys", _("Primary keys"))
        if not catalog.tables:
            return crit
        with_pk = {c.table_oid for c in catalog.constraints if c.type == "p"}
        for table in catalog.tables.values():
            if table.oid not in with_pk:
                crit.findings.append(self.finding("sql-no-primary-key", _("Table {table} has no primary key.").format(
                    table=table.name), severity="high", path=self.schema_file, line=self.table_lines.get(table.name),
                    references=[REF_PG_CONSTRAINTS]))
        crit.fraction = len([t for t in catalog.tables if t in with_pk]) / len(catalog.tables)
        return crit

    # -- 5. foreign keys ---------------------------------------------------------------------------
    def foreign_keys(self, catalog: Catalog) -> Criterion:
        _ = self._
        crit = Criterion("foreign_keys", _("Referential integrity (foreign keys, ON DELETE)"))
        if not self.spec.foreign_keys:
            crit.fraction = 1.0
            return crit
        earned = 0.0
        for fk in self.spec.foreign_keys:
            table, target = self.actual.get(fk.table), self.actual.get(fk.references)
            column = table.columns.get(fk.column) if table else None
            if table is None or column is None:
                crit.findings.append(self.finding("sql-missing-foreign-key", _(
                    "Foreign key {table}.{column} → {target}: the column does not exist.").format(
                    table=self.shown(fk.table), column=fk.column, target=self.shown(fk.references)), severity="high",
                    table=fk.table))
                continue
            declared = [c for c in catalog.constraints if c.type == "f" and c.table_oid == table.oid
                        and c.columns == [column.attnum]]
            good_target = [c for c in declared if target is not None and c.ref_oid == target.oid]
            if not good_target:
                crit.findings.append(self.finding("sql-missing-foreign-key", _(
                    "Table {table}: column {column} must reference {target} (FOREIGN KEY ... REFERENCES): without it "
                    "the database accepts rows that point to nothing.").format(
                    table=table.name, column=fk.column, target=self.shown(fk.references)), severity="high",
                    table=fk.table, references=[REF_PG_FK]))
                continue
            earned += 0.6
            rule = good_target[0].on_delete or "no action"
            if rule in fk.on_delete:
                earned += 0.4
            else:
                crit.findings.append(self.finding("sql-on-delete", _(
                    "Table {table}: foreign key {column} → {target} uses ON DELETE {rule}; expected {expected} ({why}).").format(
                    table=table.name, column=fk.column, target=self.shown(fk.references), rule=rule.upper(),
                    expected=" / ".join(r.upper() for r in fk.on_delete), why=fk.why or "-"),
                    table=fk.table, references=[REF_PG_FK]))
        crit.fraction = earned / len(self.spec.foreign_keys)
        return crit

    # -- 6. NOT NULL, UNIQUE, CHECK (declared, and proved by rejected rows) -----------------------
    def constraints(self, catalog: Catalog, rejected: list[tuple[str, bool, str | None]] | None) -> Criterion:
        """Half declared (introspection), half proved: rows the schema must reject (None: not tried)."""
        _ = self._
        crit = Criterion("constraints", _("Integrity constraints (NOT NULL, UNIQUE, CHECK)"))
        items = ok = 0
        for table in self.spec.tables:
            actual = self.actual.get(table.name)
            for column in table.columns:
                if not column.not_null:
                    continue
                items += 1
                found = actual.columns.get(column.name) if actual else None
                if found is not None and found.not_null:
                    ok += 1
                elif found is not None:
                    crit.findings.append(self.finding("sql-missing-not-null", _(
                        "Table {table}: column {column} must be NOT NULL.").format(table=actual.name, column=column.name),
                        table=table.name, references=[REF_PG_CONSTRAINTS]))
        for unique in self.spec.unique:
            items += 1
            actual = self.actual.get(unique.table)
            if actual is None or any(c not in actual.columns for c in unique.columns):
                continue
            wanted = sorted(actual.columns[c].attnum for c in unique.columns)
            covered = any(sorted(c.columns) == wanted for c in catalog.constraints
                          if c.table_oid == actual.oid and c.type in "pu" and not unique.partial)
            covered = covered or any(sorted(i.columns) == wanted and i.unique and (i.partial == unique.partial)
                                     for i in catalog.indexes if i.table_oid == actual.oid)
            if covered:
                ok += 1
            else:
                what = _("a partial unique index") if unique.partial else "UNIQUE"
                crit.findings.append(self.finding("sql-missing-unique", _("Table {table}: ({columns}) needs {what}{why}.").format(
                    table=actual.name, columns=", ".join(unique.columns), what=what,
                    why=f" ({unique.why})" if unique.why else ""), table=unique.table, references=[REF_PG_CONSTRAINTS]))
        for check in self.spec.check_constraints:
            items += 1
            actual = self.actual.get(check.table)
            column = actual.columns.get(check.column) if actual else None
            if column is None:
                continue
            if any(c.type == "c" and c.table_oid == actual.oid and column.attnum in c.columns for c in catalog.constraints):
                ok += 1
            else:
                crit.findings.append(self.finding("sql-missing-check", _(
                    "Table {table}: no CHECK constraint on column {column}.").format(table=actual.name, column=check.column),
                    table=check.table, references=[REF_PG_CONSTRAINTS]))
        declared = ok / items if items else 1.0
        if rejected is None:
            proved = 0.0
        else:
            proved = sum(1 for _name, passed, _m in rejected if passed) / len(rejected) if rejected else declared
        for name, passed, message in rejected or []:
            if not passed:
                crit.findings.append(self.finding("sql-constraint-not-enforced", _(
                    "The database accepted invalid data: {case}{detail}.").format(
                    case=name, detail=f" ({message})" if message else ""), references=[REF_PG_CONSTRAINTS],
                    path=self.schema_file))
        crit.fraction = 0.5 * declared + 0.5 * proved
        return crit

    # -- 7. indexes on foreign keys ---------------------------------------------------------------
    def fk_indexes(self, catalog: Catalog) -> Criterion:
        _ = self._
        crit = Criterion("fk_indexes", _("Indexes on foreign key columns"))
        wanted: dict[tuple[int, tuple[int, ...]], tuple[str, str]] = {}
        for fk in self.spec.foreign_keys:
            table = self.actual.get(fk.table)
            if table is not None and fk.column in table.columns:
                wanted[(table.oid, (table.columns[fk.column].attnum,))] = (table.name, fk.column)
        for c in catalog.constraints:
            if c.type == "f" and c.table_oid in catalog.tables:
                table = catalog.tables[c.table_oid]
                wanted.setdefault((c.table_oid, tuple(c.columns)), (table.name, ", ".join(table.column_names(c.columns))))
        if not wanted:
            return crit
        covered = 0
        for (oid, columns), (table, names) in wanted.items():
            if any(i.table_oid == oid and not i.partial and tuple(i.columns[:len(columns)]) == columns for i in catalog.indexes):
                covered += 1
            else:
                crit.findings.append(self.finding("sql-fk-not-indexed", _(
                    "Table {table}: no index on ({columns}); every join and every deletion in the referenced table "
                    "scans the whole table.").format(table=table, columns=names), severity="low", table=table,
                    references=[REF_PG_FK]))
        crit.fraction = covered / len(wanted)
        return crit

    # -- 8. naming ---------------------------------------------------------------------------------
    def naming(self, catalog: Catalog) -> Criterion:
        _ = self._
        crit = Criterion("naming", _("Naming rules"))
        names: list[tuple[str, str]] = [(_("schema"), s) for s in catalog.schemas if s != "public"]
        for table in catalog.tables.values():
            names.append((_("table"), table.name))
            names += [(_("column"), f"{table.name}.{c}") for c in table.columns]
        names += [(_("constraint"), c.name) for c in catalog.constraints]
        names += [(_("index"), i.name) for i in catalog.indexes]
        bad = [(kind, name) for kind, name in names if not SNAKE.match(name.split(".")[-1])]
        for kind, name in bad[:10]:
            crit.findings.append(self.finding("sql-naming", _("{kind} {name}: not in snake_case (lower case, words joined by _).").format(
                kind=kind.capitalize(), name=name), severity="low", path=self.schema_file))
        snake = 1 - len(bad) / len(names) if names else 0.0
        singular = [t.name for t in self.spec.tables if t.name in self.actual and self.actual[t.name].name == t.name]
        plural = [t.name for t in self.spec.tables if t.name in self.actual and self.actual[t.name].name != t.name]
        consistent = 1.0 if self.actual and (not singular or not plural) else 0.0
        if singular and plural:
            crit.findings.append(self.finding("sql-naming-consistency", _(
                "Table names mix singular ({singular}) and plural ({plural}): choose one convention.").format(
                singular=", ".join(singular), plural=", ".join(self.shown(p) for p in plural)), severity="low",
                path=self.schema_file))
        crit.fraction = 0.7 * snake + 0.3 * consistent
        return crit

    # -- 9. least privilege ------------------------------------------------------------------------
    def privileges(self, admin, catalog: Catalog, db_a, db_c, reference_ok: bool) -> Criterion:
        _ = self._
        crit = Criterion("privileges", _("Application role with least privilege"))
        role_file = self.opts.role_files[0] if self.opts.role_files else self.schema_file
        refs = [REF_ANSSI_PRIVILEGE, REF_CWE_PRIVILEGE, REF_PG_PRIVILEGES]
        app_a = db_a.extra_roles["app"][0]
        # What the application must be able to do, and what it must not (behaviour, on C).
        allowed_ok = forbidden_ok = 0
        spec = self.spec.privileges
        if reference_ok and (spec.allowed or spec.forbidden):
            with learner_connection(db_c, self.opts.statement_timeout_s, role="app") as conn:
                for case in spec.allowed:
                    succeeded, state, message = probe(conn, render(case.sql, self.names), self._, self.hidden)
                    if succeeded:
                        allowed_ok += 1
                    else:
                        crit.findings.append(self.finding("sql-privilege-missing", _(
                            "The application role cannot {action}: {error}").format(action=case.name, error=message),
                            path=role_file, references=[REF_PG_PRIVILEGES]))
                for case in spec.forbidden:
                    succeeded, state, message = probe(conn, render(case.sql, self.names), self._, self.hidden)
                    if not succeeded and state == INSUFFICIENT_PRIVILEGE:
                        forbidden_ok += 1
                    elif succeeded:
                        crit.findings.append(self.finding("sql-privilege-excess", _(
                            "The application role can {action}: it must not (least privilege).").format(action=case.name),
                            severity="high", path=role_file, references=refs))
                    else:
                        crit.findings.append(self.finding("sql-privilege-unclear", _(
                            "Refusing the application role to {action} should come from its privileges, not from: {error}"
                        ).format(action=case.name, error=message), severity="low", path=role_file, references=refs))
        elif spec.allowed or spec.forbidden:
            crit.findings.append(self.finding("sql-privilege-untested", _(
                "The application role's privileges could not be tried (the reference data did not load)."),
                severity="medium", path=role_file))
        # What the catalog says (on A): no ownership, no membership, no DDL rights, no extra table rights.
        excess: list[str] = []
        owned = [r[0] for r in admin.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s UNION SELECT n.nspname FROM pg_namespace n "
            "JOIN pg_roles r ON r.oid = n.nspowner WHERE r.rolname = %s",
            [app_a, app_a])]
        excess += [_("owns {object}").format(object=o) for o in owned]
        member_of = [r[0] for r in admin.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s", [app_a])]
        excess += [_("is a member of role {role} (it inherits its rights)").format(
            role=_("owner") if r == db_a.role else r) for r in member_of]
        if admin.execute("SELECT has_database_privilege(%s, current_database(), 'CREATE')", [app_a]).fetchone()[0]:
            excess.append(_("may create schemas in the database"))
        for schema in catalog.schemas:
            if admin.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [app_a, schema]).fetchone()[0]:
                excess.append(_("may create objects in schema {schema}").format(schema=schema))
        wanted_rights = self.needed_rights()
        for spec_name, table in self.actual.items():
            extra = [p for p in TABLE_PRIVILEGES if p not in wanted_rights.get(spec_name, set()) and admin.execute(
                "SELECT has_table_privilege(%s, %s::oid, %s)", [app_a, table.oid, p]).fetchone()[0]]
            if extra:
                excess.append(_("has {privileges} on {table}").format(privileges=", ".join(extra), table=table.name))
        for item in excess[:12]:
            crit.findings.append(self.finding("sql-privilege-excess", _("The application role {excess}.").format(excess=item),
                                              severity="high" if "owner" in item or "CREATE" in item else "medium",
                                              path=role_file, references=refs))
        behaviour_total = len(spec.allowed) + len(spec.forbidden)
        allowed_part = allowed_ok / len(spec.allowed) if spec.allowed else 1.0
        forbidden_part = forbidden_ok / len(spec.forbidden) if spec.forbidden else 1.0
        catalog_part = max(0.0, 1 - len(excess) / 4)
        crit.fraction = 0.3 * allowed_part + 0.5 * forbidden_part + 0.2 * catalog_part if behaviour_total else catalog_part
        if not self.actual:
            crit.fraction = 0.0
        return crit

    def needed_rights(self) -> dict[str, set[str]]:
        """Table privileges the allowed operations need (SELECT always; others from the statements)."""
        rights: dict[str, set[str]] = {t.name: {"SELECT"} for t in self.spec.tables}
        for case in self.spec.privileges.allowed:
            match = re.match(r"\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\{(\w+)\}", case.sql, re.I)
            if match:
                verb = match.group(1).split()[0].upper()
                rights.setdefault(match.group(2), {"SELECT"}).add(verb)
        return rights

    # -- 10. personal data -------------------------------------------------------------------------
    def personal_data(self, catalog: Catalog) -> Criterion:
        _ = self._
        crit = Criterion("personal_data", _("Personal data identified and minimised"))
        marker = fold(self.opts.personal_comment)
        needed: list[tuple[Table, str]] = []
        for table in self.spec.tables:
            actual = self.actual.get(table.name)
            if actual is None:
                continue
            needed += [(actual, c) for c in table.personal if c in actual.columns]
        spec_columns = {(self.actual[t.name].oid, c.name) for t in self.spec.tables if t.name in self.actual for c in t.columns}
        for table in catalog.tables.values():
            for name in table.columns:
                if (table.oid, name) not in spec_columns and PERSONAL_HINT.search(name) and (table, name) not in needed:
                    needed.append((table, name))
        unmarked = [(t, c) for t, c in needed if marker not in fold(t.columns[c].comment or "")]
        for table, column in unmarked:
            crit.findings.append(self.finding("sql-personal-data-unmarked", _(
                "Column {table}.{column} holds personal data: identify it with COMMENT ON COLUMN ... IS '{marker} : ...'.").format(
                table=table.name, column=column, marker=self.opts.personal_comment), severity="low",
                path=self.schema_file, line=self.table_lines.get(table.name), references=[REF_CNIL_IDENTIFY]))
        superfluous = [(t, c) for t in catalog.tables.values() for c in t.columns if SUPERFLUOUS.search(c)]
        for table, column in superfluous:
            crit.findings.append(self.finding("sql-minimisation", _(
                "Column {table}.{column}: this data is not needed by the médiathèque (the specification does not ask for it): "
                "do not collect it.").format(table=table.name, column=column), severity="high",
                path=self.schema_file, line=self.table_lines.get(table.name), references=[REF_CNIL_MINIMISATION]))
        identified = 1 - len(unmarked) / len(needed) if needed else (1.0 if self.actual else 0.0)
        minimised = 0.0 if superfluous else 1.0
        crit.fraction = 0.7 * identified + 0.3 * minimised if self.actual else 0.0
        return crit

    # -- 11. data set: large enough, fake, restorable ----------------------------------------------
    def dataset(self, db_a, provision_restore) -> Criterion:
        _ = self._
        crit = Criterion("dataset", _("Fake, restorable data set"))
        data_file = self.opts.data_files[0] if self.opts.data_files else self.schema_file
        if not self.actual:
            return crit
        spec = self.spec.dataset
        counts_a = self.row_counts(db_a)
        if counts_a is None:
            crit.findings.append(self.finding("sql-dataset-unreadable", _("The data set could not be read."), path=data_file))
            return crit
        enough = 0
        for table, minimum in spec.min_rows.items():
            count = counts_a.get(table, 0)
            if count >= minimum:
                enough += 1
            else:
                crit.findings.append(self.finding("sql-dataset-too-small", _(
                    "Table {table}: {count} row(s) in the data set, at least {minimum} expected.").format(
                    table=self.shown(table), count=count, minimum=minimum), severity="low", path=data_file))
        rows_part = enough / len(spec.min_rows) if spec.min_rows else 1.0
        if not any(counts_a.values()):
            return crit  # an empty data set is neither fake nor restorable: nothing to check
        fake_part = self.fake_data(db_a, crit, data_file)
        restore_part = self.restore(db_a, counts_a, provision_restore, crit, data_file)
        crit.fraction = 0.4 * rows_part + 0.3 * fake_part + 0.3 * restore_part
        return crit

    def row_counts(self, db) -> dict[str, int] | None:
        import psycopg

        counts = {}
        try:
            with learner_connection(db, self.opts.statement_timeout_s) as conn:
                for spec_name, table in self.actual.items():
                    counts[spec_name] = conn.execute(f"SELECT count(*) FROM {table.qualified}").fetchone()[0]
        except psycopg.Error:
            return None
        return counts

    def fake_data(self, db, crit: Criterion, data_file: str) -> float:
        import psycopg

        _ = self._
        spec = self.spec.dataset
        checked = real = 0
        try:
            with learner_connection(db, self.opts.statement_timeout_s) as conn:
                for ref, test in ((spec.email, self.real_email), (spec.phone, self.real_phone)):
                    if ref is None or ref.table not in self.actual or ref.column not in self.actual[ref.table].columns:
                        continue
                    table = self.actual[ref.table]
                    column = quote(ref.column)
                    values = [r[0] for r in conn.execute(
                        f"SELECT {column}::text FROM {table.qualified} WHERE {column} IS NOT NULL LIMIT 1000")]
                    checked += len(values)
                    bad = [v for v in values if test(v)]
                    real += len(bad)
                    for value in bad[:3]:
                        crit.findings.append(self.finding("sql-dataset-real-data", _(
                            "{table}.{column} = {value!r} looks real: a data set uses invented data only (e-mails at "
                            "example.org, phone numbers 01 99 00 xx xx or 06 39 98 xx xx).").format(
                            table=table.name, column=ref.column, value=value[:60]), severity="medium", path=data_file,
                            references=[REF_CNIL_TEST_DATA, REF_RFC_2606]))
        except psycopg.Error:
            return 0.0
        return 1 - real / checked if checked else 1.0

    @staticmethod
    def real_email(value: str) -> bool:
        return RESERVED_EMAIL.search(value.strip().lower()) is None

    @staticmethod
    def real_phone(value: str) -> bool:
        digits = re.sub(r"\D", "", value)
        if digits.startswith("33"):
            digits = "0" + digits[2:]
        return not digits.startswith(FICTION_PHONES)

    def restore(self, db_a, counts_a: dict[str, int], provision_restore, crit: Criterion, data_file: str) -> float:
        from graders.services.postgres import pg_bin

        _ = self._
        dump = Path(self.ctx.scratch) / f"dump-{secrets.token_hex(4)}.pgdump"
        try:
            run = subprocess.run([pg_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)],
                                 env=db_a.libpq_env(), capture_output=True, text=True, timeout=120)
            if run.returncode != 0:
                crit.findings.append(self.finding("sql-dump", _("pg_dump failed: {error}").format(
                    error=run.stderr.strip()[-300:]), path=data_file))
                return 0.0
            db_b = provision_restore()
            run = subprocess.run([pg_bin("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                                  "--dbname", db_b.name, str(dump)], env=db_b.libpq_env(), capture_output=True, text=True,
                                 timeout=120)
            if run.returncode != 0:
                crit.findings.append(self.finding("sql-restore", _(
                    "The dump of the data set does not restore into an empty database: {error}").format(
                    error=run.stderr.strip()[-300:]), path=data_file))
                return 0.0
            counts_b = self.row_counts(db_b)
            if counts_b != counts_a:
                crit.findings.append(self.finding("sql-restore", _(
                    "After a dump and a restore the row counts differ: {before} → {after}.").format(
                    before=counts_a, after=counts_b), path=data_file))
                return 0.5
            return 1.0
        except subprocess.TimeoutExpired:
            crit.findings.append(self.finding("sql-restore", _("Dump or restore took too long."), path=data_file))
            return 0.0
        finally:
            dump.unlink(missing_ok=True)

    # -- 12. reference data and queries -------------------------------------------------------------
    def reference_setup(self, db_c) -> tuple[bool, list[tuple[str, bool, str | None]] | None]:
        """Insert the grader's data into C (as C's own role), then try the rows the schema must reject."""
        import psycopg

        ref = self.spec.reference
        if ref is None:
            return True, []
        self.reference_error = None
        if not self.actual:
            self.reference_error = "no table"
            return False, None
        try:
            with learner_connection(db_c, self.opts.statement_timeout_s) as conn:
                with conn.transaction():
                    conn.execute(render(ref.setup, self.names))
                results = []
                for case in ref.rejected:
                    succeeded, state, message = probe(conn, render(case.sql, self.names), self._, self.hidden)
                    rejected = not succeeded and (not case.sqlstate or state in case.sqlstate)
                    detail = None if rejected or succeeded else message
                    results.append((case.name, rejected, detail))
                return True, results
        except psycopg.Error as exc:
            self.reference_error = db_error_text(exc, self._, self.hidden)
            return False, None

    def reference_queries(self, db_c, reference_ok: bool) -> Criterion:
        import psycopg

        _ = self._
        crit = Criterion("reference_queries", _("Reference queries return the expected rows"))
        ref = self.spec.reference
        if ref is None or not ref.queries:
            crit.fraction = 1.0
            return crit
        if not reference_ok:
            crit.findings.append(self.finding("sql-reference-data", _(
                "The grader's reference data could not be inserted into your schema: {error}").format(
                error=getattr(self, "reference_error", None) or "?"), severity="high", path=self.schema_file,
                help=_("Keep the table and column names of the specification; extra columns must accept NULL or have a default.")))
            return crit
        passed = 0
        with learner_connection(db_c, self.opts.statement_timeout_s) as conn:
            for query in ref.queries:
                try:
                    rows = normalise_rows(conn.execute(render(query.sql, self.names)).fetchall())
                except psycopg.Error as exc:
                    crit.findings.append(self.finding("sql-reference-query", _(
                        "Reference query “{name}” fails on your schema: {error}").format(
                        name=query.name, error=db_error_text(exc, _, self.hidden)[:200]),
                        path=self.schema_file))
                    continue
                if rows == normalise_rows(query.expected):
                    passed += 1
                else:
                    crit.findings.append(self.finding("sql-reference-query", _(
                        "Reference query “{name}” returns {count} row(s), not the expected ones.").format(
                        name=query.name, count=len(rows)), path=self.schema_file))
        crit.fraction = passed / len(ref.queries)
        return crit

    # -- result ---------------------------------------------------------------------------------------
    def outcome(self, criteria: list[Criterion]) -> CheckOutcome:
        _ = self._
        weights = self.opts.weights.model_dump()
        total = sum(weights[c.key] for c in criteria) or 1.0
        points = self.ctx.spec.points
        tests, findings = [], []
        earned = 0.0
        for crit in criteria:
            fraction = min(1.0, max(0.0, crit.fraction))
            weight = weights[crit.key] / total
            earned += weight * fraction
            max_score = round(points * weight, 3)
            tests.append(TestCase(
                name=crit.title, status="passed" if fraction >= 0.999 else "failed",
                score=round(max_score * fraction, 3), max_score=max_score,
                message=None if fraction >= 0.999 else (crit.findings[0].message if crit.findings else None)))
            findings += crit.findings
        passed = sum(t.status == "passed" for t in tests)
        message = _("{passed}/{total} criteria fully met").format(passed=passed, total=len(tests))
        return CheckOutcome(earned, findings=findings, tests=tests, message=message)
