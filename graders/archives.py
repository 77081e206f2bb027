"""Submissions sent as archives (.zip, .tar, .tar.gz, .tgz): extracted safely into the workspace.

Members with absolute paths or `..`, links, devices and FIFOs are left out and reported; the sum
of extracted sizes is capped (zip bombs); nothing is ever written outside the destination.
"""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from graders.errors import BadInput
from graders.results import Finding

SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")


def is_archive(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(SUFFIXES)


def _safe_relative(name: str) -> PurePosixPath | None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or ":" in pure.parts[0]:
        return None
    return pure


def _skipped(name: str, why: str, _) -> Finding:
    return Finding(rule="archive-member-skipped", severity="medium",
                   message=_("{path}: {why}, not extracted").format(path=name, why=why), path=name)


def extract(archive: Path, dest: Path, *, max_bytes: int, max_files: int, _=lambda s: s) -> list[Finding]:
    try:
        if archive.name.lower().endswith(".zip"):
            return _extract_zip(archive, dest, max_bytes, max_files, _)
        return _extract_tar(archive, dest, max_bytes, max_files, _)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        raise BadInput(f"{archive}: unreadable archive ({type(exc).__name__}: {exc})") from None


def _budget(total: int, count: int, max_bytes: int, max_files: int, archive: Path) -> None:
    if total > max_bytes or count > max_files:
        raise BadInput(f"{archive}: archive too large once extracted (limit {max_files} files, "
                       f"{max_bytes // (1024 * 1024)} MB)")


def _write(dest: Path, rel: PurePosixPath, chunks, limit: int) -> int:
    target = dest.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "wb") as out:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                raise BadInput(f"{rel}: archive member larger than the submission limit")
            out.write(chunk)
    return written


def _extract_zip(archive: Path, dest: Path, max_bytes: int, max_files: int, _) -> list[Finding]:
    findings, total, count = [], 0, 0
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            rel = _safe_relative(info.filename)
            if rel is None:
                findings.append(_skipped(info.filename, _("path outside the submission"), _))
                continue
            if info.is_dir():
                continue
            mode = info.external_attr >> 16
            if mode and (mode & 0o170000) not in (0, 0o100000):
                findings.append(_skipped(info.filename, _("link or special file"), _))
                continue
            count += 1
            _budget(total + info.file_size, count, max_bytes, max_files, archive)
            with zf.open(info) as src:
                total += _write(dest, rel, iter(lambda: src.read(1 << 16), b""), max_bytes - total)
    return findings


def _extract_tar(archive: Path, dest: Path, max_bytes: int, max_files: int, _) -> list[Finding]:
    findings, total, count = [], 0, 0
    with tarfile.open(archive) as tf:
        for member in tf:
            rel = _safe_relative(member.name)
            if rel is None:
                findings.append(_skipped(member.name, _("path outside the submission"), _))
                continue
            if member.isdir():
                continue
            if not member.isfile():
                findings.append(_skipped(member.name, _("link or special file"), _))
                continue
            count += 1
            _budget(total + member.size, count, max_bytes, max_files, archive)
            src = tf.extractfile(member)
            total += _write(dest, rel, iter(lambda: src.read(1 << 16), b""), max_bytes - total)
    return findings
