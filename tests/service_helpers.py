"""Helpers of the grading service's tests: archives of the fixture labs, distinct per submission."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

from graders.engine import grade
from graders.labs import find_lab
from graders.redaction import hidden_test_lines
from tests.helpers import FIXTURE_LABS, run_cda

VARIANTS = {  # (lab, tree) pairs posted by the tests
    "mini-solution": ("mini-lab", FIXTURE_LABS / "mini-lab" / "solution"),
    "mini-starter": ("mini-lab", FIXTURE_LABS / "mini-lab" / "starter"),
    "pen-solution": ("penalites-lab", FIXTURE_LABS / "penalites-lab" / "solution"),
}


def zip_of(tree: Path, extra: dict[str, bytes] | None = None) -> bytes:
    """The tree as a zip; `extra` adds or replaces files (a note making each submission's content distinct)."""
    buffer = io.BytesIO()
    extra = extra or {}
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(tree.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.relative_to(tree).as_posix() not in extra:
                zf.write(path, path.relative_to(tree).as_posix())
        for name, data in extra.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def tar_gz_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def hidden_texts() -> list[str]:
    """What must never appear in a response: every distinctive line of the fixture labs' hidden tests."""
    lines = [line for lab in ("mini-lab", "penalites-lab") for line in hidden_test_lines(FIXTURE_LABS / lab / "grader")]
    return [line for line in lines if not line.startswith(("def test_", "import ", "from "))] + ["HIDDEN-TEST-SOURCE-7f3a"]


def expected_scores(tmp_path: Path, variants: set[str]) -> dict[str, float]:
    """What `cda grade` gives each variant (as an archive, like the service gets it)."""
    scores = {}
    for variant in sorted(variants):
        lab, tree = VARIANTS[variant]
        archive = tmp_path / f"{variant}.zip"
        archive.write_bytes(zip_of(tree, {"NOTE.txt": b"expected"}))
        if variant == "pen-solution":  # the command itself once; the same engine in process for the others
            done = run_cda("grade", lab, str(archive), "--json", str(tmp_path / f"{variant}.json"), "-q",
                           labs_dir=FIXTURE_LABS)
            assert done.returncode == 0, done.stderr
            scores[variant] = json.loads((tmp_path / f"{variant}.json").read_text())["score"]
        else:
            scores[variant] = grade(find_lab(str(FIXTURE_LABS / lab)), archive).score
    if {"mini-solution", "mini-starter"} <= variants:
        assert scores["mini-solution"] > scores["mini-starter"]
    return scores
