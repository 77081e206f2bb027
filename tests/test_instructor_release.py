"""`cda release`: the learner repository of every repo lab holds none of its hidden tests' text,
no solution, grader or examples, and is one git commit; notebook labs are left to nbgrader."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from graders.errors import BadInput
from graders.instructor.release import hidden_markers, leaks, release_lab
from graders.labs import discover_labs, load_lab
from tests.helpers import FIXTURE_LABS, run_cda

REPO_LABS = [lab for lab in discover_labs() if lab.manifest.kind == "repo"]


def tracked(repo: Path) -> list[str]:
    return subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True, check=True).stdout.split()


def private_texts(lab) -> list[tuple[str, str]]:
    """Solution files whose text the starter does not have: none may be released."""
    starter = lab.path / "starter"
    found = []
    for path in sorted((lab.path / "solution").rglob("*")):
        rel = path.relative_to(lab.path / "solution")
        if path.is_file() and path.suffix in (".py", ".sql", ".md", ".html", ".toml"):
            twin = starter / rel
            text = path.read_text(encoding="utf-8")
            if not twin.is_file() or twin.read_text(encoding="utf-8") != text:
                found.append((str(rel), text))
    return found


@pytest.mark.parametrize("lab", REPO_LABS, ids=lambda lab: lab.id)
def test_release_has_no_hidden_text_and_no_solution(lab, tmp_path):
    markers = hidden_markers(lab)
    assert len(markers) >= 10, f"{lab.id}: too few marker lines taken from grader/ to test anything"
    repo = release_lab(lab, tmp_path / "repo")
    files = [p for p in repo.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo).parts]
    assert sorted(str(p.relative_to(repo)) for p in files) == sorted(tracked(repo))
    assert not {"grader", "solution", "examples"} & {part for p in files for part in p.relative_to(repo).parts}
    assert leaks(repo, markers) == []
    released = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    for rel, text in private_texts(lab):
        assert text not in released, f"{lab.id}: solution file {rel} released"
    assert (repo / ".cda-lab").read_text().strip() == lab.id
    assert (repo / "ENONCE.md").read_text(encoding="utf-8") == (lab.path / "README.md").read_text(encoding="utf-8")
    assert {".github/workflows/cda.yml", ".gitlab-ci.yml"} <= set(tracked(repo))
    log = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"], capture_output=True, text=True)
    assert log.stdout.strip() == "1"


def test_hidden_lines_are_markers_unless_the_learner_has_them_and_a_leak_is_named(tmp_path):
    lab_dir = shutil.copytree(FIXTURE_LABS / "mini-lab", tmp_path / "labs" / "mini-lab")
    lines = [line.strip() for line in (lab_dir / "grader" / "tests" / "test_hidden.py").read_text().splitlines()
             if len(line.strip()) >= 24]
    hidden, shared = lines[0], lines[1]
    with open(lab_dir / "starter" / "tests" / "test_visible.py", "a") as handle:
        handle.write(f"\n# {shared}\n")
    markers = hidden_markers(load_lab(lab_dir))
    assert hidden in markers and shared not in markers
    sneaky = tmp_path / "sneaky"
    sneaky.mkdir()
    (sneaky / "note.md").write_text(f"copied by mistake:\n    {hidden}\n")
    assert leaks(sneaky, markers) == [f"note.md: {hidden[:60]}"]


def test_release_into_a_folder_that_is_not_empty_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(BadInput, match="not an empty folder"):
        release_lab(load_lab(FIXTURE_LABS / "mini-lab"), out)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_release_of_a_notebook_lab_points_to_nbgrader(tmp_path):
    notebook = next(lab for lab in discover_labs() if lab.manifest.kind == "notebook")
    done = run_cda("release", notebook.id, "-o", str(tmp_path / "nb"))
    assert done.returncode == 2
    assert "nbgrader" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nb").exists()


def test_release_of_several_labs_gives_one_repository_each_or_nothing(tmp_path):
    done = run_cda("release", "--all", "-o", str(tmp_path / "course"), labs_dir=FIXTURE_LABS)
    assert done.returncode == 2 and "penalites-lab: no starter/" in done.stderr
    assert not (tmp_path / "course").exists()  # checked before anything is written
    done = run_cda("release", str(FIXTURE_LABS / "mini-lab"), "c7-conception-bdd", "-o", str(tmp_path / "course"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "course").iterdir()) == ["c7-conception-bdd", "mini-lab"]
    assert (tmp_path / "course" / "mini-lab" / ".git").is_dir()
