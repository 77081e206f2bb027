"""Helpers of the grading service's tests: archives of the fixture labs, distinct per submission."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from graders.redaction import hidden_test_lines
from tests.helpers import FIXTURE_LABS

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
