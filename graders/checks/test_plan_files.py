"""What the `test-plan` check reads: the learner's plan (TOML), their test report (Markdown) and the
JUnit report of their tests' run on the reference. Pure functions, nothing of the submission runs.

The plan (`plan_de_tests.toml`):

    [[fonctionnalites]]
    id = "EX-10"                      # a requirement id of the lab's features list
    [[fonctionnalites.cas]]
    id = "CT-10-1"
    type = "unitaire"                 # unitaire | integration | systeme | securite (accents allowed)
    priorite = "haute"                # haute | moyenne | basse
    entrees = "..."                   # the jeu d'essai: inputs...
    attendu = "..."                   # ...and expected result
    test = "tests/test_regles.py::test_x"   # the automated test that runs the case
    [[evolutions]]
    evenement = "Montée de version de PostgreSQL"
    cas = ["CT-10-2"]                 # the cases run again when it happens

The report (`rapport_de_tests.md`): a section whose title names the environment, and table rows
`| CT-10-1 | ... | réussi |` (the case id in a cell, the obtained status in the last one).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graders.design.cahier import normalise

TYPES = ("unitaire", "integration", "systeme", "securite")
PRIORITIES = ("haute", "moyenne", "basse")
PASSED = {"reussi", "ok", "succes", "passe", "conforme", "passed"}
FAILED = {"echoue", "ko", "echec", "non conforme", "failed", "en echec"}
MAX_PLAN = 500_000  # characters read of a plan or a report


@dataclass(frozen=True)
class Case:
    id: str
    feature: str
    type: str | None  # normalised, None when absent or unknown
    priority: str | None
    inputs: str
    expected: str
    test: str | None


@dataclass
class Plan:
    features: dict[str, list[Case]] = field(default_factory=dict)  # feature id -> its cases
    evolutions: list[tuple[str, list[str]]] = field(default_factory=list)  # (event, case ids)
    error: str | None = None  # why the file could not be read

    @property
    def cases(self) -> list[Case]:
        return [case for cases in self.features.values() for case in cases]


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _choice(value, allowed: tuple[str, ...]) -> str | None:
    word = normalise(_text(value)).replace("é", "e")
    return word if word in allowed else None


def read_plan(path: Path) -> Plan:
    if not path.is_file():
        return Plan(error="missing")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8", errors="replace")[:MAX_PLAN])
    except tomllib.TOMLDecodeError as exc:
        return Plan(error=str(exc))
    plan = Plan()
    for feature in data.get("fonctionnalites", []) if isinstance(data.get("fonctionnalites"), list) else []:
        if not isinstance(feature, dict) or not _text(feature.get("id")):
            continue
        fid = _text(feature["id"]).upper()
        cases = feature.get("cas", []) if isinstance(feature.get("cas"), list) else []
        plan.features.setdefault(fid, []).extend(
            Case(id=_text(c.get("id")), feature=fid, type=_choice(c.get("type"), TYPES),
                 priority=_choice(c.get("priorite"), PRIORITIES), inputs=_text(c.get("entrees")),
                 expected=_text(c.get("attendu")), test=_text(c.get("test")) or None)
            for c in cases if isinstance(c, dict))
    for evolution in data.get("evolutions", []) if isinstance(data.get("evolutions"), list) else []:
        if isinstance(evolution, dict) and _text(evolution.get("evenement")):
            named = evolution.get("cas", [])
            plan.evolutions.append((_text(evolution["evenement"]),
                                    [_text(c) for c in named if _text(c)] if isinstance(named, list) else []))
    return plan


@dataclass
class Report:
    results: dict[str, str] = field(default_factory=dict)  # case id -> "passed" | "failed"
    environment: str = ""  # the text of the environment section, normalised
    missing: bool = False


def _status(cell: str) -> str | None:
    word = normalise(cell).strip("*_ `.")
    return "passed" if word in PASSED else "failed" if word in FAILED else None


def read_report(path: Path, case_ids: set[str]) -> Report:
    if not path.is_file():
        return Report(missing=True)
    report, section = Report(), None
    for line in path.read_text(encoding="utf-8", errors="replace")[:MAX_PLAN].splitlines():
        if line.startswith("#"):
            section = normalise(line.lstrip("#"))
            continue
        if section and "environnement" in section:
            report.environment += " " + normalise(line)
        if line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            case = next((c.strip("`*") for c in cells if c.strip("`*") in case_ids), None)
            status = _status(cells[-1]) if cells else None
            if case and status:
                report.results[case] = status
    return report


def _key(test: str) -> tuple[str, str]:
    """("tests.test_x[.Class]", "test_name") of a pytest id `tests/test_x.py::[Class::]test_name`."""
    path, _, rest = test.partition("::")
    parts = rest.split("::")
    module = path.removesuffix(".py").replace("/", ".").strip(".")
    return ".".join([module, *parts[:-1]]), parts[-1]


def read_junit(text: str | None) -> dict[tuple[str, str], str]:
    """{(classname, name without parameters): "passed" | "failed" | "skipped"} of a JUnit report;
    a parametrized test is failed when one of its cases is."""
    if not text:
        return {}
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, DefusedXmlException):
        return {}
    found: dict[tuple[str, str], str] = {}
    for case in root.iter("testcase"):
        key = (case.get("classname", ""), case.get("name", "").split("[")[0])
        tags = {child.tag for child in case}
        status = "failed" if tags & {"failure", "error"} else "skipped" if "skipped" in tags else "passed"
        if found.get(key) != "failed":
            found[key] = status if found.get(key) in (None, "passed") else found[key]
    return found


def outcome_of(test: str, junit: dict[tuple[str, str], str]) -> str | None:
    """The run's status of the plan's test id, None when the run has no such test."""
    classname, name = _key(test)
    name = name.split("[")[0]
    for (cls, tname), status in junit.items():
        if tname == name and (cls == classname or cls.endswith("." + classname) or classname.endswith("." + cls)):
            return status
    return None


