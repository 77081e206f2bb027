"""The attack suite (issue 6): every attack, against every repo lab with a Python package.

For each attack: the grader finishes with a result, the score is not higher than the honest score
of the same submission without the attack, the host is untouched (lab files, processes), and no
hidden-test text reaches what learners see (JSON result, Markdown, HTML, JUnit).
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from graders.engine import grade
from graders.labs import Lab, discover_labs, load_lab
from graders.render import render
from graders.sandbox.bubblewrap import BubblewrapSandbox
from tests.attacks.catalogue import FILE_ATTACKS, IMPORT_ATTACKS
from tests.helpers import FIXTURE_LABS, tree_snapshot

# The full catalogue runs on these labs; the others get the cheaper representative subset.
FULL = {"mini-lab", "c6-architecture-couches"}
SUBSET = {"forge-results-file", "patch-recorder", "hostile-config-files"}
# Attacks that can only end on the wall clock are graded with this one (the honest base too), so the
# suite does not wait a lab's full minute for each of them.
ATTACK_WALL_S = 20


def python_package(submission: Path) -> str | None:
    packages = sorted(p.name for p in submission.iterdir() if (p / "__init__.py").is_file())
    return packages[0] if packages else None


def base_of(lab: Lab) -> Path | None:
    """The honest submission attacks are added to: the first typical mistake, else the starter."""
    examples = sorted(lab.manifest.examples)
    return lab.path / "examples" / examples[0] if examples else lab.path / "starter"


def with_short_wall_clock(lab: Lab) -> Lab:
    """Only the labs that get the whole catalogue (and run in seconds) need it."""
    if lab.id not in FULL:
        return lab
    limits = lab.manifest.limits
    shorter = limits.model_copy(update={"timeout_s": min(limits.timeout_s, ATTACK_WALL_S)})
    return Lab(lab.path, lab.manifest.model_copy(update={"limits": shorter}))


def attack_labs() -> list[Lab]:
    labs = [load_lab(FIXTURE_LABS / "mini-lab")]
    for lab in discover_labs():
        base = base_of(lab)
        if lab.manifest.kind == "repo" and base.is_dir() and python_package(base) and any(
            c.kind == "pytest" for c in lab.manifest.checks
        ):
            labs.append(lab)
    return [with_short_wall_clock(lab) for lab in labs]


CASES = [
    pytest.param(lab, name, id=f"{lab.id}-{name}")
    for lab in attack_labs()
    for name in [*IMPORT_ATTACKS, *FILE_ATTACKS]
    if lab.id in FULL or name in SUBSET
]


@lru_cache(maxsize=None)
def honest_score(lab_path: Path) -> float:
    lab = with_short_wall_clock(load_lab(lab_path))
    return grade(lab, base_of(lab), lang="fr").score


def hidden_lines(lab: Lab) -> set[str]:
    """Distinctive lines of the hidden tests (absent from what learners are given)."""
    given = set()
    for folder in (lab.path / "starter", base_of(lab)):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".py", ".md", ".txt", ".sql"}:
                given |= {line.strip() for line in path.read_text(errors="replace").splitlines()}
    lines = set()
    for path in (lab.path / "grader").rglob("*.py"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) >= 30 and line not in given and not line.startswith(("import ", "from ", "def test", "#")):
                lines.add(line)
    return lines


def leftover_processes(uids: list[int]) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True).stdout
    return [row for row in ps.splitlines() if row.split() and int(row.split()[0]) in set(uids)]


def attacked_copy(lab: Lab, name: str, tmp_path: Path) -> Path:
    work = Path(shutil.copytree(base_of(lab), tmp_path / "attacked"))
    if name in IMPORT_ATTACKS:
        init = work / python_package(work) / "__init__.py"
        init.write_text(IMPORT_ATTACKS[name] + "\n" + init.read_text())
    else:
        for rel, content in FILE_ATTACKS[name].items():
            target = work / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
    return work


@pytest.mark.parametrize("lab,name", CASES)
def test_attack_is_neutralised(lab: Lab, name: str, tmp_path):
    honest = honest_score(lab.path)
    lab_before = tree_snapshot(lab.path)
    sandbox = BubblewrapSandbox()
    result = grade(lab, attacked_copy(lab, name, tmp_path), lang="fr", sandbox=sandbox)

    assert result.status == "graded"
    assert result.score <= honest, f"{name}: {result.score} > honest {honest}"
    assert tree_snapshot(lab.path) == lab_before, "the lab's files changed"
    if sandbox.is_root:  # runs then have uids of their own, so leftovers are easy to find
        assert sandbox.used_uids and leftover_processes(sandbox.used_uids) == []
    assert not Path("/etc/cda-pwned").exists() and not Path("/root/pwned").exists()
    outputs = [result.model_dump_json()] + [render(result, fmt, "fr") for fmt in ("markdown", "html", "junit")]
    secrets = hidden_lines(lab)
    leaked = [line for line in secrets if any(line in out for out in outputs)]
    assert leaked == [], f"hidden test text reached the learner: {leaked[:3]}"


def test_suite_covers_every_attack_class():
    names = set(IMPORT_ATTACKS) | set(FILE_ATTACKS)
    assert {"sys-exit-0", "os-exit-0", "kill-parent", "forge-results-file", "print-fake-result", "patch-runtest",
            "fork-bomb", "memory-hog", "disk-fill", "output-flood", "network-exfiltration", "write-outside",
            "leak-hidden-tests", "hostile-config-files", "shadow-stdlib-and-pytest"} <= names
