"""What the API accepts: an archive checked the way the grader will read it, or a git URL at a commit.

The archive is extracted once here, in a scratch folder, by the grader's own safe extraction
(`graders/archives.py`) under the lab's limits: an unreadable archive, one too large, or one with a
member that points outside the submission (`../`, an absolute path) or is a link is refused with one
line. Its content hash (`gradebook.content_hash`, the one `cda cohort grade` uses) names it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from graders.archives import extract
from graders.errors import BadInput
from graders.instructor.gradebook import content_hash
from graders.labs import Lab

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")
GIT_SCHEMES = ("https://", "http://", "ssh://", "git://")
LAB_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class TooLarge(BadInput):
    """The upload itself is over the size limit (HTTP 413)."""


def lab_by_id(lab_id: str) -> Lab:
    """A repo lab of the labs folder, by id only (never a path: the id comes from the network)."""
    from graders import labs

    path = labs.LABS_DIR / lab_id
    if not LAB_ID.fullmatch(lab_id or "") or not (path / labs.MANIFEST).is_file():
        raise BadInput(f"lab {lab_id!r}: no such lab")
    lab = labs.load_lab(path)
    if lab.manifest.kind != "repo":
        raise BadInput(f"lab {lab_id!r}: the service grades repo labs")
    return lab


def archive_suffix(filename: str) -> str:
    lower = filename.lower()
    for suffix in ARCHIVE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    raise BadInput(f"{filename or 'archive'}: expected a .zip or .tar.gz archive")


def check_archive(lab: Lab, filename: str, data: bytes) -> str:
    """The content hash of a valid archive; BadInput (one line) otherwise."""
    suffix = archive_suffix(filename)
    if not data:
        raise BadInput("empty archive")
    scratch = Path(tempfile.mkdtemp(prefix="cda-intake-"))
    try:
        archive = scratch / f"upload{suffix}"
        archive.write_bytes(data)
        tree = scratch / "tree"
        tree.mkdir()
        limits = lab.manifest.limits
        try:
            skipped = extract(archive, tree, max_bytes=limits.submission_mb << 20, max_files=limits.submission_files)
        except BadInput as exc:
            raise BadInput(str(exc).replace(str(archive), "archive")) from None
        if skipped:
            raise BadInput(f"archive refused: {skipped[0].message}")
        if not any(p.is_file() for p in tree.rglob("*")):
            raise BadInput("archive holds no file")
        return content_hash(tree)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check_git(url: str, commit: str, allow_local: bool = False) -> str:
    """The content hash of a git submission: the commit (a full hash) names its content."""
    if not url.startswith(GIT_SCHEMES) and not (allow_local and url.startswith("file://")):
        raise BadInput(f"git_url: expected one of {', '.join(GIT_SCHEMES)}")
    if not COMMIT.fullmatch(commit or ""):
        raise BadInput("commit: expected a full commit hash (40 or 64 hex digits)")
    return hashlib.sha256(f"git\0{url}\0{commit}".encode()).hexdigest()
