"""What a lab says about the médiathèque: table names in its SQL and data-access code, rule constants.

Read by tests/test_reference_drift.py, which compares them with the reference (migrations/, rules.py).
Plain parsing (regular expressions over SQL text, `ast` over Python): no lab code runs.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent
# Where a table name follows in SQL. FROM/JOIN also read CTE names and set-returning functions:
# those are dropped below.
TABLE_AFTER = re.compile(
    r"\b(?:CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?|INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM|JOIN|REFERENCES|"
    r"TRUNCATE(?:\s+TABLE)?|ALTER\s+TABLE(?:\s+IF\s+EXISTS)?(?:\s+ONLY)?|COMMENT\s+ON\s+(?:TABLE|COLUMN)|"
    r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON(?:\s+ONLY)?)\s+"
    r"((?:\"?[A-Za-z_][\w$]*\"?\.)?\"?[A-Za-z_][\w$]*\"?)(\s*\()?", re.IGNORECASE)
# GRANT/REVOKE ... ON [TABLE] a, b TO/FROM: the privileges on tables (not schemas, sequences, databases).
GRANT_ON = re.compile(r"\b(?:GRANT|REVOKE)\s[^;]*?\bON\s+(?:TABLE\s+)?(?!SCHEMA\b|ALL\b|SEQUENCE\b|DATABASE\b|FUNCTION\b)"
                      r"([\w\s,.\"]+?)\s+(?:TO|FROM)\b", re.IGNORECASE)
SQL_HINT = re.compile(r"\b(SELECT|GRANT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE|TRUNCATE)\b",
                      re.IGNORECASE)
# FROM inside these function calls is not a table: EXTRACT(YEAR FROM x), SUBSTRING(s FROM 2), TRIM(...).
FUNCTION_FROM = re.compile(r"\b(?:EXTRACT|SUBSTRING|TRIM|OVERLAY|POSITION)\s*\([^()]*\)", re.IGNORECASE)
CTE = re.compile(r"(?:\bWITH(?:\s+RECURSIVE)?|,)\s*([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s+)?\(",
                 re.IGNORECASE)
NOT_TABLES = {"select", "lateral", "only", "public", "values", "unnest", "generate_series", "schema",
              "database", "all", "sequence", "sequences", "function", "functions", "delete", "update",
              "insert", "commit", "conflict", "column", "constraint", "tables", "in", "table", "on", "to", "set"}
SYSTEM = ("pg_", "information_schema")
COMMENT = re.compile(r"--[^\n]*")


def reference_tables() -> set[str]:
    """The tables the reference migrations create."""
    found: set[str] = set()
    for path in sorted((REFERENCE / "migrations").glob("*.sql")):
        found |= {m.group(1).lower() for m in re.finditer(r"CREATE\s+TABLE\s+(\w+)", path.read_text("utf-8"), re.I)}
    return found


def tables_in_sql(text: str) -> set[str]:
    """Table names a SQL text reads or writes (schema prefix dropped, placeholders {x} ignored)."""
    text = FUNCTION_FROM.sub(" ", COMMENT.sub(" ", text))
    local = {m.group(1).lower() for m in CTE.finditer(text)}
    names: set[str] = set()
    for match in TABLE_AFTER.finditer(text):
        keyword = match.group(0).split()[0].upper()
        if match.group(2):  # name( : a function call, or a column list after INSERT INTO t (...)
            if keyword not in ("INSERT", "CREATE", "REFERENCES"):
                continue
        parts = match.group(1).replace('"', "").lower().split(".")
        name = parts[0] if keyword == "COMMENT" and "COLUMN" in match.group(0).upper() else parts[-1]
        if name in NOT_TABLES or name in local or name.startswith(SYSTEM):
            continue
        names.add(name)
    for match in GRANT_ON.finditer(text):
        for name in match.group(1).split(","):
            name = name.strip().replace('"', "").split(".")[-1].lower()
            if name and name not in NOT_TABLES:
                names.add(name)
    return names


def sql_strings_in_python(source: str) -> list[str]:
    """String literals of a Python file that look like SQL (f-strings included, their holes blanked)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else " {} " for v in node.values)
        else:
            continue
        if SQL_HINT.search(text):
            found.append(text)
    return found


def notebook_code(path: Path) -> str:
    try:
        cells = json.loads(path.read_text("utf-8")).get("cells", [])
    except (OSError, ValueError):
        return ""
    return "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")


def lab_sql_texts(folder: Path) -> dict[Path, list[str]]:
    """Every SQL text of a lab folder: .sql files, SQL strings of .py files and notebook code cells,
    the [reference] SQL of TOML specs."""
    texts: dict[Path, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".sql":
            texts[path] = [path.read_text("utf-8")]
        elif path.suffix == ".py":
            texts[path] = sql_strings_in_python(path.read_text("utf-8"))
        elif path.suffix == ".ipynb":
            code = notebook_code(path)
            texts[path] = sql_strings_in_python(code) + [line for line in code.splitlines()
                                                           if line.lstrip().startswith("%sql")]
        elif path.suffix == ".toml":
            texts[path] = [s for s in re.findall(r'"""(.*?)"""|"((?:[^"\\]|\\.)*)"', path.read_text("utf-8"), re.S)
                           for s in s if s and SQL_HINT.search(s)]
    return {path: found for path, found in texts.items() if found}


def lab_tables(folder: Path) -> dict[Path, set[str]]:
    """Table names per file of a lab folder."""
    return {path: set().union(*(tables_in_sql(t) for t in texts)) for path, texts in lab_sql_texts(folder).items()}


# --- rule constants -----------------------------------------------------------------------------

# A lab's constant name → the reference value it must equal (read from rules.py by the test).
CONSTANT_NAMES = {
    "LOAN_DAYS": "LOAN_DAYS['livre']", "MAX_LOANS": "MAX_LOANS_ADULT", "MAX_ACTIVE_LOANS": "MAX_LOANS_ADULT",
    "MAX_LOANS_ADULT": "MAX_LOANS_ADULT", "MAX_LOANS_MINOR": "MAX_LOANS_MINOR", "DUREES": "LOAN_DAYS",
    "KINDS": "KINDS", "DUREE_CHOIX": "CONSENT_KEPT_S", "DUREE_AUDIENCE": "AUDIENCE_COOKIE_S",
    "QUOTA_ADULTE": "MAX_LOANS_ADULT", "QUOTA_MINEUR": "MAX_LOANS_MINOR", "AGE_MAJORITE": "MAJORITY_AGE",
}


def _literal(node: ast.AST) -> object:
    """A literal, or a product/sum of integer literals (180 * 24 * 3600)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add, ast.Sub)):
        left, right = _literal(node.left), _literal(node.right)
        if not (isinstance(left, int) and isinstance(right, int)):
            raise ValueError("not an integer expression")
        return {ast.Mult: left * right, ast.Add: left + right, ast.Sub: left - right}[type(node.op)]
    return ast.literal_eval(node)


def constants_in_python(source: str) -> dict[str, object]:
    """Module-level NAME = literal assignments whose name is a known rule constant."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in CONSTANT_NAMES and node.value is not None:
                    try:
                        found[target.id] = _literal(node.value)
                    except ValueError:
                        continue
    return found


def lab_constants(folder: Path) -> dict[Path, dict[str, object]]:
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".py" and "__pycache__" not in path.parts:
            source = path.read_text("utf-8")
        elif path.suffix == ".ipynb":
            source = notebook_code(path)
        else:
            continue
        found = constants_in_python(source)
        if found:
            result[path] = found
    return result


def kinds_in_sql(text: str) -> set[str]:
    """Document kinds allowed by a CHECK (kind IN (...)) or (type IN (...)) constraint."""
    kinds: set[str] = set()
    for match in re.finditer(r"\b(?:kind|type)\s+IN\s*\(([^)]*)\)", text, re.IGNORECASE):
        kinds |= set(re.findall(r"'([^']*)'", match.group(1)))
    return kinds


# --- the verdict: what in a lab disagrees with the reference ---------------------------------------

# Labs that do not derive from the reference yet, and what they still get wrong. The drift test
# checks that each still drifts (so this list stays true) and that every other lab does not.
PENDING = {
}
# Examples whose point is a disagreement with the reference: the mistake they show.
MISTAKES = {
    "c7-conception-bdd/examples/donnees-personnelles-non-identifiees": "full birth date: the mistake it shows",
    "web-rgpd-consentement/starter": "cookies kept 2 years: what the learner fixes",
}
BIRTH_DATE = re.compile(r"\b(?:birth_?date|date_?naissance|date_of_birth)\b|\bnaissance\s+date\b|"
                        r"autocomplete=\"bday\"|<input[^>]*name=\"naissance\"[^>]*type=\"date\"|"
                        r"type=\"date\"[^>]*autocomplete=\"bday\"", re.IGNORECASE)


def reference_rules() -> dict[str, object]:
    """The literal constants of the reference rules.py (read, not imported), KINDS included."""
    tree = ast.parse((REFERENCE / "app" / "mediatheque" / "rules.py").read_text("utf-8"))
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = _literal(node.value)
            except ValueError:
                continue
    found["KINDS"] = tuple(found["LOAN_DAYS"])  # KINDS = tuple(LOAN_DAYS)
    return found


def _constant_problem(name: str, value: object, ref: dict[str, object]) -> str | None:
    days = ref["LOAN_DAYS"]
    if name in ("LOAN_DAYS", "DUREES") and isinstance(value, dict):
        wrong = {k: v for k, v in value.items() if days.get(k) != v}
        if wrong:
            return f"{name} {wrong} ≠ reference durations {days}"
        missing = [kind for kind in days if kind not in value]
        return f"{name} has no duration for {missing} (reference durations {days})" if missing else None
    if name == "LOAN_DAYS":
        return None if value == days["livre"] else f"LOAN_DAYS = {value!r} ≠ reference {days['livre']} (livre)"
    if name == "KINDS":
        extra = set(value) - set(ref["KINDS"]) if isinstance(value, (tuple, list, set)) else {value}
        return f"KINDS {sorted(extra)} not reference kinds {ref['KINDS']}" if extra else None
    expected = ref[CONSTANT_NAMES[name]]
    return None if value == expected else f"{name} = {value!r} ≠ reference {CONSTANT_NAMES[name]} = {expected!r}"


def problems(folder: Path, *, skip_birth_date: bool = False) -> list[str]:
    """Every disagreement of a lab folder with the reference, one line each (file: what)."""
    tables, ref = reference_tables(), reference_rules()
    root = folder.parent
    found = []
    for path, names in lab_tables(folder).items():
        if names - tables:
            found.append(f"{path.relative_to(root)}: tables {sorted(names - tables)} not in the reference "
                         f"schema {sorted(tables)}")
    for path, constants in lab_constants(folder).items():
        for name, value in constants.items():
            problem = _constant_problem(name, value, ref)
            if problem:
                found.append(f"{path.relative_to(root)}: {problem}")
    for path, texts in lab_sql_texts(folder).items():
        extra = set().union(*(kinds_in_sql(t) for t in texts)) - set(ref["KINDS"])
        if extra:
            found.append(f"{path.relative_to(root)}: document kinds {sorted(extra)} not in {ref['KINDS']}")
    if not skip_birth_date:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".sql", ".html", ".ipynb") and path.is_file():
                if BIRTH_DATE.search(path.read_text("utf-8", errors="replace")):
                    found.append(f"{path.relative_to(root)}: a full birth date (the reference keeps the birth year)")
    found += column_problems(folder)
    mistakes = tuple(root / prefix for prefix in MISTAKES)
    return [line for line in found if not any((root / line.split(": ")[0]).is_relative_to(m) for m in mistakes)]


# --- columns ------------------------------------------------------------------------------------

CREATE_TABLE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?\"?(\w+)\"?\s*\(", re.IGNORECASE)
ADD_COLUMN = re.compile(r"ALTER\s+TABLE\s+(?:ONLY\s+)?(\w+)\s+ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\w+)",
                        re.IGNORECASE)
NOT_COLUMNS = {"constraint", "primary", "unique", "check", "foreign", "exclude", "like"}


def columns_in_sql(text: str) -> dict[str, set[str]]:
    """{table: columns} of the CREATE TABLE (and ALTER TABLE ... ADD COLUMN) statements of a SQL text."""
    text = COMMENT.sub(" ", text)
    found: dict[str, set[str]] = {}
    for match in CREATE_TABLE.finditer(text):
        depth, start, items = 1, match.end(), []
        for index in range(match.end(), len(text)):
            char = text[index]
            depth += {"(": 1, ")": -1}.get(char, 0)
            if (char == "," and depth == 1) or depth == 0:
                items.append(text[start:index])
                start = index + 1
            if depth == 0:
                break
        names = {item.split()[0].strip('"').lower() for item in items if item.split()}
        found.setdefault(match.group(1).lower(), set()).update(names - NOT_COLUMNS)
    for match in ADD_COLUMN.finditer(text):
        found.setdefault(match.group(1).lower(), set()).add(match.group(2).lower())
    return found


def reference_columns() -> dict[str, set[str]]:
    text = "\n".join(p.read_text("utf-8") for p in sorted((REFERENCE / "migrations").glob("*.sql")))
    return columns_in_sql(text)


def column_problems(folder: Path) -> list[str]:
    """Columns a lab's CREATE TABLE declares that the reference table does not have."""
    reference, root, found = reference_columns(), folder.parent, []
    for path in sorted(folder.rglob("*.sql")):
        for table, columns in columns_in_sql(path.read_text("utf-8")).items():
            extra = columns - reference.get(table, columns)
            if extra:
                found.append(f"{path.relative_to(root)}: columns {sorted(extra)} of {table} not in the reference")
    return found
