"""Hostile submissions as files: links, devices, FIFOs, odd names, archives, sheer size."""

import io
import os
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from graders.engine import grade
from graders.errors import BadInput
from graders.labs import load_lab
from tests.helpers import FIXTURE_LABS, run_cda, tree_snapshot

LAB = FIXTURE_LABS / "mini-lab"


@pytest.fixture(scope="module")
def lab():
    return load_lab(LAB)


def skipped_paths(result, rule):
    return sorted(f.path for f in result.intake if f.rule == rule)


def test_links_fifos_devices_and_bad_names_are_left_out(lab, tmp_path):
    sub = Path(shutil.copytree(LAB / "solution", tmp_path / "sub"))
    (sub / "etc-link").symlink_to("/etc")
    (sub / "calc" / "passwd.py").symlink_to("/etc/passwd")
    os.mkfifo(sub / "pipe")
    if os.geteuid() == 0:
        os.mknod(sub / "null-dev", 0o600 | 0o020000, os.makedev(1, 3))
    with open(os.fsencode(sub) + b"/caf\xe9.py", "wb") as handle:  # Latin-1 name, not UTF-8
        handle.write(b"x = 1\n")
    before = sorted(os.listdir(sub))
    result = grade(lab, sub, lang="en")
    assert result.score == result.max_score
    skipped = skipped_paths(result, "submission-file-skipped")
    assert {"etc-link", "calc/passwd.py", "pipe"} <= set(skipped)
    assert any(p.startswith("caf") for p in skipped)
    assert sorted(os.listdir(sub)) == before


def test_too_large_submission_is_refused_with_one_line(tmp_path):
    sub = Path(shutil.copytree(LAB / "solution", tmp_path / "sub"))
    with open(sub / "big.bin", "wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: costs no disk, exceeds submission_mb = 20
    proc = run_cda("grade", str(LAB), str(sub))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "submission too large" in proc.stderr
    assert (sub / "big.bin").exists()


def write_zip(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo("calc/link.py")
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, symlink)
    return path


def solution_members() -> dict[str, bytes]:
    root = LAB / "solution"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_zip_submission_is_extracted_and_graded(lab, tmp_path):
    archive = write_zip(tmp_path / "sub.zip", solution_members())
    assert grade(lab, archive, lang="en").score == 15


def test_zip_traversal_absolute_and_links_are_neutralised(lab, tmp_path):
    members = {**solution_members(), "../escape.py": b"x", "/tmp/cda-absolute.py": b"x", "a/../../up.py": b"x"}
    archive = write_zip(tmp_path / "evil.zip", members, symlink="/etc/passwd")
    result = grade(lab, archive, lang="en")
    assert result.score == 15
    skipped = skipped_paths(result, "archive-member-skipped")
    assert {"../escape.py", "/tmp/cda-absolute.py", "a/../../up.py", "calc/link.py"} <= set(skipped)
    assert not (tmp_path / "escape.py").exists() and not Path("/tmp/cda-absolute.py").exists()


def test_tar_traversal_and_links_are_neutralised(lab, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for name, data in {**solution_members(), "../../escape.py": b"x"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("calc/evil.py")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    result = grade(lab, archive, lang="en")
    assert result.score == 15
    assert {"../../escape.py", "calc/evil.py"} <= set(skipped_paths(result, "archive-member-skipped"))


def test_zip_bomb_is_refused(lab, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("calc/__init__.py", b"")
        zf.writestr("zeros.bin", b"\0" * (30 * 1024 * 1024))
    assert archive.stat().st_size < 1024 * 1024
    with pytest.raises(BadInput, match="too large"):
        grade(lab, archive, lang="en")


def test_corrupt_archive_is_bad_input(lab, tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BadInput, match="unreadable archive"):
        grade(lab, archive, lang="en")
