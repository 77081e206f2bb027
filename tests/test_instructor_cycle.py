"""The instructor's cycle end to end, as issue 16 checks it: three learners over two labs, collected
from a Moodle zip (c8: the solution, the injectable DAO, the starter) and from git remotes (local
bare repositories; the fixture mini-lab), graded with `cda cohort grade`, and `cda record` showing
each learner's verdicts as graded."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from graders.sandbox.bubblewrap import BubblewrapSandbox
from graders.services import postgres as pg
from graders.services import redis as rd
from tests.helpers import FIXTURE_LABS, REPO, run_cda

pytestmark = [
    pytest.mark.xdist_group("cda-databases"),
    pytest.mark.slow,
    pytest.mark.skipif(pg.unavailable_reason() is not None, reason=f"PostgreSQL: {pg.unavailable_reason()}"),
    pytest.mark.skipif(rd.unavailable_reason() is not None, reason=f"Redis: {rd.unavailable_reason()}"),
    pytest.mark.skipif(BubblewrapSandbox.unavailable_reason() is not None,
                       reason=f"bubblewrap: {BubblewrapSandbox.unavailable_reason()}"),
]

C8 = REPO / "labs" / "c8-acces-donnees"
MINI = FIXTURE_LABS / "mini-lab"
LEARNERS = {  # Moodle name: (c8 submission, mini-lab submission)
    "Dupont Émile": (C8 / "solution", MINI / "solution"),
    "Martin Zoé": (C8 / "examples" / "dao-injectable", MINI / "examples" / "partial"),
    "Petit Léa": (C8 / "starter", MINI / "starter"),
}


def moodle_zip(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, (folder, _)) in enumerate(LEARNERS.items(), 1):
            inner = io.BytesIO()  # learners upload one zip of their project folder
            with zipfile.ZipFile(inner, "w") as project:
                for file in sorted(folder.rglob("*")):
                    if file.is_file() and "__pycache__" not in file.parts:
                        project.write(file, f"projet/{file.relative_to(folder)}")
            archive.writestr(f"{name}_{number}0000_assignsubmission_file_/projet.zip", inner.getvalue())
    path.write_bytes(buffer.getvalue())
    return path


def bare_remote(root: Path, learner: str, folder: Path) -> str:
    work = shutil.copytree(folder, root / f"{learner}-work", ignore=shutil.ignore_patterns("__pycache__"))
    env = ["-c", "user.name=L", "-c", "user.email=l@x"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*env, "commit", "-q", "-m", "rendu"]):
        subprocess.run(["git", "-C", str(work), *args], check=True, capture_output=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(root / f"{learner}.git")], check=True)
    return (root / f"{learner}.git").as_uri()


def test_three_learners_two_labs_moodle_and_git_then_records(tmp_path):
    book = str(tmp_path / "gradebook.sqlite")
    done = run_cda("collect", "--moodle", str(moodle_zip(tmp_path / "c8.zip")), "-o", str(tmp_path / "c8"))
    assert done.returncode == 0, done.stderr
    ids = {"Dupont Émile": "dupont-emile", "Martin Zoé": "martin-zoe", "Petit Léa": "petit-lea"}
    listing = tmp_path / "remotes.txt"
    listing.write_text("".join(f"{ids[name]} {bare_remote(tmp_path, ids[name], mini)}\n"
                               for name, (_, mini) in LEARNERS.items()))
    done = run_cda("collect", "--git", str(listing), "--deadline", "2100-01-01", "-o", str(tmp_path / "mini"))
    assert done.returncode == 0, done.stderr
    for lab, folder in ((str(C8), "c8"), (str(MINI), "mini")):
        done = run_cda("cohort", "grade", lab, str(tmp_path / folder), "-o", str(tmp_path / f"out-{folder}"),
                       "-j", "2", "--gradebook", book, timeout=1500)
        assert done.returncode == 0, done.stderr
    commits = json.loads((tmp_path / "mini" / ".cda-collect.json").read_text())["learners"]
    for name, learner in ids.items():
        graded = {}
        for folder in ("c8", "mini"):
            result = json.loads((tmp_path / f"out-{folder}" / "results" / f"{learner}.json").read_text())
            graded |= {c["id"]: c["verdict"] for c in result["criteria"]}
        done = run_cda("record", learner, "--gradebook", book, "--json", str(tmp_path / f"{learner}.json"), "-q")
        assert done.returncode == 0, done.stderr
        record = json.loads((tmp_path / f"{learner}.json").read_text())
        shown = {c["id"]: c["verdict"] for c in record["criteria"] if c["labs"]}
        assert shown == graded, learner  # the two labs assess different criteria: each shows as graded
        mini_entry = next(e for c in record["criteria"] if c["id"] == "C3.1" for e in c["labs"])
        assert mini_entry["commit"] == commits[learner]["commit"]
    verdict = {learner: {c["id"]: c["verdict"] for c in json.loads((tmp_path / f"{learner}.json").read_text())["criteria"]}
               for learner in ids.values()}
    assert verdict["dupont-emile"]["C8.3"] == "acquired"
    assert verdict["martin-zoe"]["C8.3"] == "not-acquired"  # the injectable DAO: a blocking flaw
    assert verdict["petit-lea"]["C8.1"] != "acquired"
