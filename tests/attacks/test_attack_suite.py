"""The attack suite (issue 6): every attack class, against every kind of lab.

- labs with a Python package graded by pytest (the fixture mini-lab, C6, C8, the web labs): code
  planted in the package (`catalogue.IMPORT_ATTACKS`) and hostile files (`catalogue.FILE_ATTACKS`);
- notebook labs: code at the top of the first answer cell, files beside the notebook, edits of its
  JSON (`notebook_catalogue`);
- the SQL lab (C7): statements and psql meta-commands in the learner's files (`sql_catalogue`);
- data labs (C4: plans, reports and a git bundle, no learner code run): hostile files (`data_catalogue`);
- the Compose lab (C1): compose files asking for the host, a fork bomb and an output flood in the
  stack (`compose_catalogue`), on the real engine (skipped, saying why, where there is none).
- the CI lab (C11: the learner's pipeline is run): hostile jobs (`pipeline_catalogue`);
- labs whose only learner code is their own tests, run by `seeded-bugs` against the grader's package
  (C9): the package catalogue planted in the learner's `tests/conftest.py`, its files beside it;
- document labs (C5, English: files read as data, mock-ups opened in Chromium) and the script lab
  (C10: shell scripts run by the hidden scenario): `document_catalogue`.

For each attack: the grader finishes with a result, the score is not higher than the honest score
of the same submission without the attack, the host is untouched (lab files, processes, system
folders), and neither hidden-test text nor a host file's text reaches what learners see (the JSON
result and every report format).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from graders.engine import grade
from graders.labs import Lab, discover_labs, load_lab
from graders.render import RENDERERS, render
from graders.sandbox.bubblewrap import BubblewrapSandbox
from tests.attacks import (catalogue, compose_catalogue, data_catalogue, document_catalogue, notebook_catalogue,
                           pipeline_catalogue, sql_catalogue)
from tests.docker_fixtures import docker_host, docker_sandbox  # noqa: F401 (fixtures)
from tests.helpers import FIXTURE_LABS, tree_snapshot

# The full catalogue of a kind runs on these labs; the others of that kind get a representative
# subset, to keep the suite's time in check.
FULL = {"mini-lab", "c6-architecture-couches", "nb-c3-regles-metier", "c7-conception-bdd", "c4-planifier-suivre",
        "c1-environnement-travail", "c5-besoins-maquettes", "anglais-technique"}
SUBSET = {"forge-results-file", "patch-recorder", "hostile-config-files", "background-survivor",
          "sys-exit-0", "kill-everything", "output-flood",
          "nb-swallow-errors", "nb-blank-later-cells", "nb-config-files", "nb-raise-points",
          *pipeline_catalogue.PIPELINE_ATTACKS,
          # the script lab (C10) grades in minutes: survivors and the output flood ran past the test's
          # 600 s there (its bats run then lasts its clock); they are not run in the suite
          "sh-exit-0", "sh-kill-everything", "sh-forge-and-escape"}
# On the labs that get a whole catalogue, attacks that can only end on the wall clock are graded
# with this one (the honest base too), so the suite does not wait the lab's full limit for each.
ATTACK_WALL_S = {"package": 20, "notebook": 30, "sql": 30, "data": 30, "compose": 120, "pipeline": 300, "document": 60,
                 "shell": 300}
# Checks that read the submission as data and run none of it: a lab made of them only is a data lab.
# Labs no attack catalogue aims at yet (a lab added with a new kind of learner file goes here, to close).
NO_ATTACK_KIND_YET: set[str] = set()
DATA_CHECKS = {"project-plan", "project-followup", "git-practices"}


@dataclass(frozen=True)
class Attack:
    kind: str  # package | notebook | sql | data | compose | pipeline | document | shell
    name: str
    plant: object  # what the catalogue holds for it


ATTACKS = (
    [Attack("package", n, v) for n, v in catalogue.IMPORT_ATTACKS.items()]
    + [Attack("package", n, v) for n, v in catalogue.FILE_ATTACKS.items()]
    + [Attack("notebook", n, v) for n, v in notebook_catalogue.CELL_ATTACKS.items()]
    + [Attack("notebook", n, v) for n, v in notebook_catalogue.FILE_ATTACKS.items()]
    + [Attack("notebook", n, v) for n, v in notebook_catalogue.JSON_ATTACKS.items()]
    + [Attack("sql", n, v) for n, v in sql_catalogue.SQL_ATTACKS.items()]
    + [Attack("data", n, v) for n, v in data_catalogue.DATA_ATTACKS.items()]
    + [Attack("compose", n, v) for n, v in compose_catalogue.COMPOSE_ATTACKS.items()]
    + [Attack("pipeline", n, v) for n, v in pipeline_catalogue.PIPELINE_ATTACKS.items()]
    + [Attack("document", n, v) for n, v in document_catalogue.DOCUMENT_ATTACKS.items()]
    + [Attack("shell", n, v) for n, v in document_catalogue.SHELL_ATTACKS.items()]
)


def python_package(submission: Path) -> str | None:
    packages = sorted(p.name for p in submission.iterdir() if (p / "__init__.py").is_file())
    return packages[0] if packages else None


def base_of(lab: Lab) -> Path:
    """The honest submission attacks are added to: the typical mistake scoring highest (so an attack
    that raised the score would show), else the starter."""
    examples = lab.manifest.examples
    if not examples:
        return lab.path / "starter"
    best = max(sorted(examples), key=lambda name: sum(examples[name].expected_pct))
    return lab.path / "examples" / best


def kind_of(lab: Lab) -> str | None:
    checks = {c.kind for c in lab.manifest.checks}
    if "compose-stack" in checks:
        return "compose"
    if lab.manifest.kind == "notebook" and "nbgrader" in checks:
        return "notebook"
    if "sql-schema" in checks:
        return "sql"
    if "gitlab-pipeline" in checks:
        return "pipeline"
    if lab.manifest.kind == "repo" and checks <= DATA_CHECKS:
        return "data"
    if "bats" in checks or "shellcheck" in checks:
        return "shell"
    base = base_of(lab)
    if lab.manifest.kind == "repo" and base.is_dir() and python_package(base) and "pytest" in checks:
        return "package"
    if lab.manifest.kind == "repo" and "seeded-bugs" in checks and "pytest" not in checks \
            and (base / "tests" / "conftest.py").is_file():
        return "tests"
    if lab.manifest.kind == "repo" and base.is_dir():
        return "document"
    return None


def catalogue_kind(lab: Lab) -> str | None:
    """The catalogue a lab's attacks come from: a tests lab gets the package catalogue, planted in its tests."""
    kind = kind_of(lab)
    return "package" if kind == "tests" else kind


def with_short_wall_clock(lab: Lab) -> Lab:
    """Only the labs that get a whole catalogue (and grade in a few seconds) need it."""
    if lab.id not in FULL:
        return lab
    limits = lab.manifest.limits
    shorter = limits.model_copy(update={"timeout_s": min(limits.timeout_s, ATTACK_WALL_S[kind_of(lab)])})
    return Lab(lab.path, lab.manifest.model_copy(update={"limits": shorter}), lab.options)


def attack_labs() -> list[Lab]:
    labs = [load_lab(FIXTURE_LABS / "mini-lab"), *discover_labs()]
    return [with_short_wall_clock(lab) for lab in labs if kind_of(lab)]


CASES = [
    pytest.param(lab, attack, id=f"{lab.id}-{attack.name}")
    for lab in attack_labs()
    for attack in ATTACKS
    if attack.kind == catalogue_kind(lab) and (lab.id in FULL or attack.name in SUBSET)
]


def honest_score(lab_path: Path) -> float:
    """Graded once per test run: the xdist workers share it through a locked file, so a slow lab's
    honest base is not graded again by every worker that draws one of its attacks."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return graded_honest_score(lab_path)
    folder = Path(tempfile.gettempdir()) / f"cda-honest-{run}"
    folder.mkdir(exist_ok=True)
    key = hashlib.sha256(str(lab_path).encode()).hexdigest()[:16]
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cached = folder / f"{key}.json"
        if not cached.is_file():
            cached.write_text(json.dumps(graded_honest_score(lab_path)))
        return json.loads(cached.read_text())


@lru_cache(maxsize=None)
def graded_honest_score(lab_path: Path) -> float:
    # the lab's own limits, not the attacks' short clock: on a loaded machine the honest base must not
    # lose tests to a wall clock, or an attack graded at a quieter moment would seem to "win"
    lab = load_lab(lab_path)
    result = grade(lab, base_of(lab), lang="fr")
    # an honest base that fails to grade would let every attack "pass" at 0
    assert [c.id for c in result.checks if c.status == "error"] == [], f"{lab.id}: honest base not graded"
    return result.score


def given_lines(lab: Lab) -> set[str]:
    given = set()
    for folder in (lab.path / "starter", base_of(lab)):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".py", ".md", ".txt", ".sql", ".ipynb", ".mmd"}:
                given |= {line.strip() for line in path.read_text(errors="replace").splitlines()}
    return given


def hidden_lines(lab: Lab) -> set[str]:
    """Distinctive lines of the hidden tests (absent from what learners are given)."""
    if kind_of(lab) == "notebook":
        from graders.notebooks.sourcebook import load_book

        options = nbgrader_options(lab)
        return set(load_book(lab.path / options.get("source", "grader") / options["notebook"]).hidden_lines)
    given, lines = given_lines(lab), set()
    if kind_of(lab) == "sql":  # the grader's reference data: the string literals of its spec
        from graders.checks.sql_schema import hidden_literals, load_spec

        given_text = "\n".join(given)
        spec = load_spec(lab.path / next(c.options["spec"] for c in lab.manifest.checks if c.kind == "sql-schema"))
        lines |= {value for value in hidden_literals(spec) if len(value) >= 6 and value not in given_text}
    for path in (lab.path / "grader").rglob("*"):
        if not path.is_file() or path.suffix not in {".py", ".toml", ".sql"}:
            continue
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) >= 30 and line not in given and not line.startswith(("import ", "from ", "def test", "#")):
                lines.add(line)
    return lines


def leftover_processes(uids: list[int]) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True).stdout
    return [row for row in ps.splitlines() if row.split() and int(row.split()[0]) in set(uids)]


def write_files(root: Path, files: dict, prepend: bool = False) -> None:
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        if prepend and target.is_file():
            existing = target.read_bytes()
            data = existing + b"\n" + data if data.startswith(sql_catalogue.APPEND.encode()) else data + b"\n" + existing
        target.write_bytes(data)


def planted(source: str, code: str) -> str:
    """`code` put at the top of a module or cell: after its docstring and `from __future__` imports
    (code before those would be a SyntaxError, and the attack would never run)."""
    import ast

    try:
        body = ast.parse(source).body
    except SyntaxError:
        return code + "\n" + source
    after = 0
    for index, node in enumerate(body):
        docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant)
        if docstring or (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            after = node.end_lineno
    lines = source.splitlines(keepends=True)
    result = "".join(lines[:after]) + ("\n" if after and not lines[after - 1].endswith("\n") else "") + code + "\n" + "".join(lines[after:])
    compile(result, "<attacked>", "exec")  # the attack must run, not break the module
    return result


def nbgrader_options(lab: Lab) -> dict:
    return next(c.options for c in lab.manifest.checks if c.kind == "nbgrader")


def the_notebook(lab: Lab, work: Path) -> Path:
    return work / nbgrader_options(lab)["notebook"]


def attacked_copy(lab: Lab, attack: Attack, tmp_path: Path) -> Path:
    work = Path(shutil.copytree(base_of(lab), tmp_path / "attacked"))
    if attack.kind == "package" and isinstance(attack.plant, str):
        init = work / "tests" / "conftest.py" if kind_of(lab) == "tests" else work / python_package(work) / "__init__.py"
        init.write_text(planted(init.read_text(), attack.plant))
    elif attack.kind == "notebook" and isinstance(attack.plant, str):
        path = the_notebook(lab, work)
        nb = json.loads(path.read_text(encoding="utf-8"))
        first = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
        source = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
        first["source"] = planted(source, attack.plant)
        path.write_text(json.dumps(nb), encoding="utf-8")
    elif attack.kind == "notebook" and callable(attack.plant):
        path = the_notebook(lab, work)
        path.write_text(json.dumps(attack.plant(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    elif attack.kind == "compose":
        for rel, content in attack.plant.items():
            if rel == "Dockerfile.append":
                (work / "Dockerfile").write_text((work / "Dockerfile").read_text() + content)
            elif isinstance(content, tuple):  # ("symlink", target)
                (work / rel).symlink_to(content[1])
            else:
                (work / rel).write_text(content)
    elif attack.kind == "shell":
        document_catalogue.plant_in_scripts(work, attack.plant)
    elif callable(attack.plant):  # documents rewritten in place
        attack.plant(work)
    else:  # files dropped in the submission, or put at the top of the learner's own (SQL)
        write_files(work, attack.plant, prepend=attack.kind == "sql")
    return work


def check_neutralised(lab: Lab, attack: Attack, tmp_path: Path, sandbox, services: dict | None = None) -> None:
    honest = honest_score(lab.path)
    lab_before = tree_snapshot(lab.path)
    result = grade(lab, attacked_copy(lab, attack, tmp_path), lang="fr", sandbox=sandbox, services=services)

    assert result.status == "graded"
    assert result.score <= honest, f"{attack.name}: {result.score} > honest {honest}"
    assert tree_snapshot(lab.path) == lab_before, "the lab's files changed"
    # runs as root have uids of their own, so leftovers are easy to find; documents the grader refuses
    # to read (links out, undecodable) may leave nothing to run
    if sandbox.is_root and (attack.kind != "document" or sandbox.used_uids):
        assert sandbox.used_uids and leftover_processes(sandbox.used_uids) == []
    for path in ("/etc/cda-pwned", "/root/pwned", "/tmp/cda-sql-pwned", "/cda/pwned"):
        assert not Path(path).exists(), path
    outputs = [result.model_dump_json()] + [render(result, fmt, "fr") for fmt in RENDERERS]
    leaked = [line for line in hidden_lines(lab) if any(line in out for out in outputs)]
    assert leaked == [], f"hidden test text reached the learner: {leaked[:3]}"
    assert not any(document_catalogue.HOST_LINE in out for out in outputs), "a host file reached the learner"


def engine_missing(lab: Lab) -> str | None:
    """Why a Compose lab cannot be attacked here (no engine, no Compose), else None."""
    if kind_of(lab) != "compose":
        return None
    from graders.checks.compose_stack_check import ComposeStackCheck

    return ComposeStackCheck.unavailable_reason()


@pytest.mark.parametrize("lab,attack", CASES)
def test_attack_is_neutralised(lab: Lab, attack: Attack, tmp_path):
    reason = engine_missing(lab)
    if reason:
        pytest.skip(f"{lab.id}: {reason}")
    check_neutralised(lab, attack, tmp_path, BubblewrapSandbox())


# Warm sandboxes (graders/sandbox/warm.py): the whole package catalogue on the fixture lab, every
# pytest run forked from zygotes that live as long as this module, so each attack also meets the
# zygotes the attacks before it were forked from. Attacks aimed at the next run of a zygote (files,
# processes, IPC, its memory image): tests/attacks/test_warm_attacks.py.
WARM_LABS = {"mini-lab"}
WARM_CASES = [pytest.param(*case.values, id=f"warm-{case.id}") for case in CASES if case.values[0].id in WARM_LABS]


@pytest.fixture(scope="module")
def warm_pool():
    from graders.sandbox.warm import WarmPool, cold_reason

    reason = cold_reason(BubblewrapSandbox())
    if reason:
        pytest.skip(f"no warm sandbox here: {reason}")
    with WarmPool(enabled=True) as pool:
        yield pool


@pytest.mark.parametrize("lab,attack", WARM_CASES)
def test_attack_is_neutralised_warm(lab: Lab, attack: Attack, tmp_path, warm_pool):
    before = dict(warm_pool.runs)
    check_neutralised(lab, attack, tmp_path, BubblewrapSandbox(), services={"warm": warm_pool})
    assert warm_pool.runs["warm"] > before["warm"] and warm_pool.runs["cold"] == before["cold"], "not graded warm"


# The docker backend (a real engine: tests/docker_fixtures.py) runs, on the fixture lab, the attack
# classes its sandbox is the defence against (processes, resources, network, files, mounts); the
# others are defeated by the runner whatever the backend. A docker grade costs about 0.7 s more per
# sandboxed command than bubblewrap, so `CDA_DOCKER_ATTACKS=all` runs the whole package catalogue
# (23/23 neutralised, same verdicts as bubblewrap: docs/security.md) outside the everyday suite.
DOCKER_LABS = {"mini-lab"}
SANDBOX_DEFENDED = {"kill-parent", "kill-everything", "ignore-alarm-and-loop", "forge-results-file", "fork-bomb",
                    "memory-hog", "disk-fill", "output-flood", "network-exfiltration", "write-outside",
                    "background-survivor", "leak-hidden-tests"}
DOCKER_CASES = [pytest.param(*case.values, id=f"docker-{case.id}") for case in CASES
                if case.values[0].id in DOCKER_LABS
                and (os.environ.get("CDA_DOCKER_ATTACKS") == "all" or case.values[1].name in SANDBOX_DEFENDED)]


@pytest.mark.parametrize("lab,attack", DOCKER_CASES)
def test_attack_is_neutralised_on_docker(lab: Lab, attack: Attack, tmp_path, docker_sandbox):
    from graders.sandbox.docker_backend import LABEL, DockerSandbox

    sandbox = DockerSandbox(docker_sandbox.client, image=docker_sandbox.image)
    check_neutralised(lab, attack, tmp_path, sandbox)
    # the low-level list inspects nothing, so other workers' containers removed meanwhile do not matter
    left = [c["Id"] for uid in set(sandbox.used_uids)
            for c in docker_sandbox.client.api.containers(all=True, filters={"label": f"{LABEL}={uid}"})]
    assert left == [], "a container was left behind"


@pytest.mark.parametrize("lab_id", sorted(DOCKER_LABS))
def test_honest_verdicts_are_the_same_on_docker(lab_id: str, docker_sandbox):
    """The attacks on docker are compared with the honest score on bubblewrap: both must agree."""
    lab = load_lab(FIXTURE_LABS / lab_id) if lab_id == "mini-lab" else next(x for x in discover_labs() if x.id == lab_id)
    on_docker = grade(lab, base_of(lab), lang="fr", sandbox=docker_sandbox)
    on_bubblewrap = grade(lab, base_of(lab), lang="fr", sandbox=BubblewrapSandbox())
    assert [(c.id, c.status, c.score) for c in on_docker.checks] == [(c.id, c.status, c.score) for c in on_bubblewrap.checks]
    assert on_docker.score == on_bubblewrap.score == honest_score(lab.path)


def test_suite_covers_every_attack_class_and_lab_kind():
    names = {attack.name for attack in ATTACKS}
    assert {"sys-exit-0", "os-exit-0", "kill-parent", "forge-results-file", "print-fake-result", "patch-runtest",
            "fork-bomb", "memory-hog", "disk-fill", "output-flood", "network-exfiltration", "write-outside",
            "leak-hidden-tests", "hostile-config-files", "shadow-stdlib-and-pytest"} <= names
    assert {"nb-sys-exit-0", "nb-os-exit-0", "nb-swallow-errors", "nb-blank-later-cells", "nb-forge-on-every-descriptor",
            "nb-fork-bomb", "nb-memory-hog", "nb-output-flood", "nb-disk-fill", "nb-config-files",
            "nb-raise-points", "nb-delete-tests"} <= names
    assert {"sql-sleep-forever", "sql-escalate", "sql-shell-escape", "sql-forge-report", "sql-fill-disk"} <= names
    assert SANDBOX_DEFENDED <= names  # the docker backend's share: no name misspelt
    kinds = {kind_of(lab) for lab in attack_labs()}
    assert {"sql-fill-disk", "data-git-dressed-workspace", "data-forged-dumps"} <= names
    assert {"doc-links-to-the-host", "doc-hostile-pages", "sh-forge-and-escape", "sh-kill-everything"} <= names
    assert kinds == {"package", "notebook", "sql", "data", "compose", "pipeline", "tests", "document", "shell"}
    every_lab = {lab.id for lab in discover_labs()}
    attacked = {lab.id for lab in attack_labs()}
    unreached = every_lab - attacked - NO_ATTACK_KIND_YET
    assert not unreached, f"labs no attack reaches: {sorted(unreached)}"


# One attack per kind of lab, through the command line as a learner's CI would run it: a result,
# exit code 0, no traceback, and nothing hidden in what the terminal or the report files show.
CLI_CASES = [("mini-lab", "forge-results-file"), ("nb-c3-regles-metier", "nb-blank-later-cells"),
             ("c7-conception-bdd", "sql-shell-escape")]


@pytest.mark.parametrize("lab_id,name", CLI_CASES, ids=[f"{lab}-{name}" for lab, name in CLI_CASES])
def test_attack_through_the_command_line(lab_id: str, name: str, tmp_path):
    from tests.helpers import run_cda

    lab = next(lab for lab in attack_labs() if lab.id == lab_id)
    attack = next(attack for attack in ATTACKS if attack.name == name)
    submission = attacked_copy(lab, attack, tmp_path)
    before = tree_snapshot(submission)
    report = tmp_path / "reports"
    done = run_cda("grade", str(lab.path), str(submission), "--json", str(report / "r.json"),
                   "--markdown", str(report / "r.md"), "--html", str(report / "r.html"), timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    result = json.loads((report / "r.json").read_text(encoding="utf-8"))
    assert result["status"] == "graded" and result["score"] <= honest_score(lab.path)
    shown = done.stdout + done.stderr + "".join(p.read_text(encoding="utf-8") for p in report.iterdir())
    assert [line for line in hidden_lines(lab) if line in shown] == []
    assert tree_snapshot(submission) == before, "the learner's work was changed"
