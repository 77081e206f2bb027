"""`cda collect`: one folder per learner from a folder of folders, git remotes (cloned at the last
commit before a deadline) or Moodle's zip; bad input is one line, exit 2, and nothing written."""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from graders.errors import BadInput
from graders.instructor.collect import RECORD, collect, learner_id
from tests.helpers import run_cda, tree_snapshot


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def moodle_zip(path: Path, submissions: dict[str, dict[str, bytes]]) -> Path:
    path.write_bytes(zip_bytes({f"{folder}/{name}": data for folder, files in submissions.items()
                                for name, data in files.items()}))
    return path


def test_learner_ids_are_safe_folder_names():
    assert learner_id("Dupont Émile") == "dupont-emile"
    assert learner_id("N'Diaye  Aïssatou") == "n-diaye-aissatou"
    with pytest.raises(BadInput):
        learner_id("../")


def test_folder_of_folders_and_archives(tmp_path):
    source = tmp_path / "in"
    (source / "Alice Martin" / "calc").mkdir(parents=True)
    (source / "Alice Martin" / "calc" / "__init__.py").write_text("A = 1\n")
    (source / "bob.zip").write_bytes(zip_bytes({"projet/calc/__init__.py": b"B = 2\n"}))
    before = tree_snapshot(source)
    done = run_cda("collect", str(source), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert (out / "alice-martin" / "calc" / "__init__.py").read_text() == "A = 1\n"
    assert (out / "bob" / "calc" / "__init__.py").read_text() == "B = 2\n"  # the zip's top folder unwrapped
    assert set(json.loads((out / RECORD).read_text())["learners"]) == {"alice-martin", "bob"}
    assert tree_snapshot(source) == before


def test_moodle_zip_with_an_archive_and_plain_files(tmp_path):
    archive = moodle_zip(tmp_path / "moodle.zip", {
        "Dupont Émile_12345_assignsubmission_file_": {"rendu.zip": zip_bytes({"mon-projet/calc/core.py": b"x = 1\n",
                                                                               "mon-projet/README.md": b"hi\n"})},
        "Martin Zoé_23456_assignsubmission_file_": {"calc/core.py": b"y = 2\n"},
    })
    record = collect(tmp_path / "out", moodle=archive)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["dupont-emile", "martin-zoe"]
    assert (out / "dupont-emile" / "calc" / "core.py").read_text() == "x = 1\n"
    assert (out / "martin-zoe" / "calc" / "core.py").read_text() == "y = 2\n"
    assert record["dupont-emile"]["moodle_id"] == "12345" and record["dupont-emile"]["name"] == "Dupont Émile"


@pytest.mark.parametrize("case,contents,message", [
    ("malformed zip", b"PK\x03\x04 not really a zip", "not a zip file"),
    ("same name twice", {"Dupont Émile_1_assignsubmission_file_": {"a.py": b"1"},
                         "Dupont Emile_2_assignsubmission_file_": {"a.py": b"2"}}, "two submissions for learner 'dupont-emile'"),
    ("empty submission", {"Martin Zoé_2_assignsubmission_file_": {"rendu.zip": zip_bytes({})},
                          "Dupont Émile_1_assignsubmission_file_": {"a.py": b"1"}}, "empty submission"),
    ("not a Moodle folder", {"random/": {"a.py": b"1"}}, "not a Moodle submission folder"),
])
def test_bad_moodle_zips_exit_2_and_write_nothing(tmp_path, case, contents, message):
    archive = tmp_path / "moodle.zip"
    if isinstance(contents, bytes):
        archive.write_bytes(contents)
    else:
        moodle_zip(archive, contents)
    before = archive.read_bytes()
    done = run_cda("collect", "--moodle", str(archive), "-o", str(tmp_path / "out"))
    assert done.returncode == 2, (case, done.stdout, done.stderr)
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
    assert archive.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moodle.zip"]  # no staging left behind


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "L", "GIT_AUTHOR_EMAIL": "l@x", "GIT_COMMITTER_NAME": "L",
           "GIT_COMMITTER_EMAIL": "l@x"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


def learner_repo(root: Path, name: str, commits: list[tuple[str, str]]) -> str:
    """A bare repository at `root/name.git` with one commit per (date, content of calc/core.py)."""
    work = root / f"{name}-work"
    work.mkdir(parents=True)
    git(work, "init", "-q", "-b", "main")
    for when, text in commits:
        (work / "calc").mkdir(exist_ok=True)
        (work / "calc" / "core.py").write_text(text)
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", text, when=when)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(root / f"{name}.git")], check=True)
    return (root / f"{name}.git").as_uri()


def test_git_remotes_cloned_at_the_last_commit_before_the_deadline(tmp_path):
    alice = learner_repo(tmp_path, "alice", [("2026-11-01T10:00:00+00:00", "v1\n"), ("2026-11-03T10:00:00+00:00", "late\n")])
    bob = learner_repo(tmp_path, "bob", [("2026-11-01T09:00:00+00:00", "bob\n")])
    listing = tmp_path / "remotes.txt"
    listing.write_text(f"# learner url\nalice {alice}\nbob {bob}\n")
    deadline = datetime(2026, 11, 2, tzinfo=timezone.utc)
    record = collect(tmp_path / "out", remotes=listing, deadline=deadline)
    assert (tmp_path / "out" / "alice" / "calc" / "core.py").read_text() == "v1\n"
    assert not (tmp_path / "out" / "alice" / ".git").exists()
    work_log = git(tmp_path / "alice-work", "log", "--format=%H", "--reverse").split()
    assert record["alice"]["commit"] == work_log[0]
    assert record["alice"]["commit_date"].startswith("2026-11-01T10:00:00")
    assert record["bob"]["commit"] == git(tmp_path / "bob-work", "rev-parse", "HEAD")
    meta = json.loads((tmp_path / "out" / RECORD).read_text())
    assert meta["deadline"] == deadline.isoformat()


def test_history_is_kept_as_a_bundle_up_to_the_collected_commit(tmp_path):
    alice = learner_repo(tmp_path, "alice", [("2026-11-01T10:00:00+00:00", "v1\n"), ("2026-11-01T11:00:00+00:00", "v2\n"),
                                             ("2026-11-03T10:00:00+00:00", "late\n")])
    listing = tmp_path / "remotes.txt"
    listing.write_text(f"alice {alice}\n")
    record = collect(tmp_path / "out", remotes=listing, deadline=datetime(2026, 11, 2, tzinfo=timezone.utc),
                     history="historique.bundle")
    bundle = tmp_path / "out" / "alice" / "historique.bundle"
    check = tmp_path / "check"
    subprocess.run(["git", "clone", "-q", str(bundle), str(check)], check=True)
    assert git(check, "log", "--format=%s").split("\n") == ["v2", "v1"]  # the late commit is not in it
    assert git(check, "rev-parse", "HEAD") == record["alice"]["commit"]
    done = run_cda("collect", "--git", str(listing), "--history", "../x.bundle", "-o", str(tmp_path / "out2"))
    assert done.returncode == 2 and "plain file name" in done.stderr and not (tmp_path / "out2").exists()


def test_a_failed_clone_or_no_commit_before_the_deadline_collects_nothing(tmp_path):
    alice = learner_repo(tmp_path, "alice", [("2026-11-01T10:00:00+00:00", "v1\n")])
    listing = tmp_path / "remotes.txt"
    listing.write_text(f"alice {alice}\nbob {(tmp_path / 'missing.git').as_uri()}\n")
    done = run_cda("collect", "--git", str(listing), "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "clone failed" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
    listing.write_text(f"alice {alice}\n")
    done = run_cda("collect", "--git", str(listing), "--deadline", "2026-10-01", "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "no commit before 2026-10-01" in done.stderr
    assert not (tmp_path / "out").exists()
    listing.write_text("alice\n")
    done = run_cda("collect", "--git", str(listing), "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "expected `LEARNER URL`" in done.stderr


def test_collect_never_writes_into_a_folder_that_holds_something(tmp_path):
    (tmp_path / "in" / "alice").mkdir(parents=True)
    (tmp_path / "in" / "alice" / "a.py").write_text("1")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "previous").write_text("keep")
    with pytest.raises(BadInput, match="not an empty folder"):
        collect(tmp_path / "out", folder=tmp_path / "in")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["previous"]
