"""`cda collect`: gather submissions into one layout, one folder per learner, from
- a folder of folders (or of archives): `<learner>/` or `<learner>.zip`;
- a list of git remotes (`LEARNER URL` per line), each cloned at its last commit before a deadline;
- Moodle's "download all submissions" zip (`Nom Prénom_12345_assignsubmission_file_/...`).

Everything is gathered into a staging folder first and moved into place at the end: bad input
(a malformed zip, two learners with the same id, an empty submission, a clone that fails) stops
with one line and exit 2, and neither the input nor the output folder is touched.
`DIR/.cda-collect.json` records where each submission came from (and the commit for git).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from graders.archives import extract, is_archive
from graders.errors import BadInput

RECORD = ".cda-collect.json"
MAX_BYTES = 200 * 1024 * 1024
MAX_FILES = 20000
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_\w+?_?$")


def learner_id(name: str) -> str:
    """`Nom Prénom` -> `nom-prenom`: ASCII, lower case, dashes (a safe folder name)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise BadInput(f"{name!r}: no usable learner id")
    return slug


def _has_files(folder: Path) -> bool:
    return any(p.is_file() for p in folder.rglob("*"))


def _unwrap(folder: Path) -> None:
    """A submission holding one archive is that archive's content; then one top folder that is not
    a Python package (`projet/` around the working copy, as zipping a folder gives) is its content."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(entries) != 1 or not is_archive(entries[0]):
        return
    inner = folder / ".unpacked"
    inner.mkdir()
    extract(entries[0], inner, max_bytes=MAX_BYTES, max_files=MAX_FILES)
    entries[0].unlink()
    tops = list(inner.iterdir())
    if len(tops) == 1 and tops[0].is_dir() and not (tops[0] / "__init__.py").exists():
        inner = tops[0]
    for child in list(inner.iterdir()):
        child.rename(folder / child.name)
    shutil.rmtree(folder / ".unpacked")


def _add(staging: Path, record: dict, learner: str, source: dict, fill) -> None:
    if learner in record:
        raise BadInput(f"two submissions for learner {learner!r} ({record[learner]['source']} and "
                       f"{source['source']}); rename one, nothing collected")
    target = staging / learner
    target.mkdir()
    fill(target)
    _unwrap(target)
    if not _has_files(target):
        raise BadInput(f"{source['source']}: empty submission for {learner!r}, nothing collected")
    record[learner] = source


def from_folders(folder: Path, staging: Path, record: dict) -> None:
    entries = [e for e in sorted(folder.iterdir()) if not e.name.startswith(".")]
    if not entries:
        raise BadInput(f"{folder}: no submission in it")
    for entry in entries:
        if entry.is_dir():
            _add(staging, record, learner_id(entry.name), {"source": str(entry)},
                 lambda t, e=entry: shutil.copytree(e, t, dirs_exist_ok=True, symlinks=True))
        elif is_archive(entry):
            stem = re.sub(r"\.(zip|tar|tar\.gz|tgz)$", "", entry.name, flags=re.I)
            _add(staging, record, learner_id(stem), {"source": str(entry)},
                 lambda t, e=entry: shutil.copy2(e, t / e.name))
        else:
            raise BadInput(f"{entry}: neither a folder nor an archive; one folder or archive per learner")


def from_moodle(archive: Path, staging: Path, record: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="cda-moodle-") as tmp:
        if not zipfile.is_zipfile(archive):
            raise BadInput(f"{archive}: not a zip file (Moodle's \"download all submissions\")")
        extract(archive, Path(tmp), max_bytes=MAX_BYTES, max_files=MAX_FILES)
        folders = [p for p in sorted(Path(tmp).iterdir()) if p.is_dir()]
        strays = [p.name for p in Path(tmp).iterdir() if p.is_file()]
        if strays or not folders:
            raise BadInput(f"{archive}: not a Moodle submissions zip ({(strays or ['no folder'])[0]} "
                           "at the top, expected `Nom Prénom_12345_assignsubmission_file_/` folders)")
        for folder in folders:
            match = MOODLE_FOLDER.match(folder.name)
            if not match:
                raise BadInput(f"{archive}: {folder.name!r} is not a Moodle submission folder "
                               "(`Nom Prénom_12345_assignsubmission_file_`)")
            _add(staging, record, learner_id(match["name"]),
                 {"source": f"{archive.name}:{folder.name}", "moodle_id": match["id"], "name": match["name"]},
                 lambda t, f=folder: shutil.copytree(f, t, dirs_exist_ok=True, symlinks=True))


def parse_remotes(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise BadInput(f"{path}:{number}: expected `LEARNER URL`, got {line!r}")
        pairs.append((learner_id(parts[0]), parts[1]))
    if not pairs:
        raise BadInput(f"{path}: no remote listed (`LEARNER URL` per line)")
    return pairs


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    return subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=600)


def clone_before(url: str, deadline: datetime | None, target: Path, bundle: str | None = None) -> tuple[str, str]:
    """Clone `url` into `target` at its last commit before `deadline` (committer date of the
    default branch); return (commit, commit date). The clone's .git is removed; with `bundle`, the
    default branch up to that commit is kept first as a git bundle of that name (labs that grade the
    history, such as C4, read it there)."""
    done = _git("clone", "--quiet", "--no-checkout", url, str(target))
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise BadInput(f"{url}: clone failed ({reason}), nothing collected")
    limit = deadline.timestamp() if deadline else float("inf")  # compared here: git's date parser stops at 2099
    history = _git("log", "--format=%H %ct", "HEAD", cwd=target).stdout.split("\n")
    commit = next((line.split()[0] for line in history if line.strip() and int(line.split()[1]) <= limit), "")
    if not commit:
        raise BadInput(f"{url}: no commit before {deadline.isoformat() if deadline else 'now'}, nothing collected")
    date = _git("show", "-s", "--format=%cI", commit, cwd=target).stdout.strip()
    if _git("checkout", "--quiet", commit, "--", ".", cwd=target).returncode:
        raise BadInput(f"{url}: cannot check out {commit}, nothing collected")
    if bundle:
        branch = _git("symbolic-ref", "--short", "HEAD", cwd=target).stdout.strip() or "main"
        bundled = _git("update-ref", f"refs/heads/{branch}", commit, cwd=target).returncode or _git(
            "bundle", "create", "--quiet", str(target / bundle), "HEAD", branch, cwd=target).returncode
        if bundled:
            raise BadInput(f"{url}: cannot write the history bundle, nothing collected")
    shutil.rmtree(target / ".git")
    return commit, date


def from_remotes(listing: Path, deadline: datetime | None, staging: Path, record: dict,
                 history: str | None = None) -> None:
    for learner, url in parse_remotes(listing):
        info: dict = {"source": url}

        def fill(target: Path, url=url, info=info) -> None:
            target.rmdir()
            info["commit"], info["commit_date"] = clone_before(url, deadline, target, history)
        _add(staging, record, learner, info, fill)


def collect(output: Path, *, folder: Path | None = None, moodle: Path | None = None,
            remotes: Path | None = None, deadline: datetime | None = None, history: str | None = None) -> dict:
    """Gather submissions into `output` (absent or empty); returns learner -> where it came from."""
    given = [x for x in (folder, moodle, remotes) if x is not None]
    if len(given) != 1:
        raise BadInput("give exactly one source: a folder of submissions, --moodle ZIP or --git LIST")
    if history is not None and (remotes is None or not history or Path(history).name != history or history.startswith(".")):
        raise BadInput("--history takes a plain file name (e.g. historique.bundle) and goes with --git")
    if not given[0].exists():
        raise BadInput(f"{given[0]}: no such file or folder")
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BadInput(f"{output}: exists and is not an empty folder; nothing collected")
    output.parent.mkdir(parents=True, exist_ok=True)
    record: dict = {}
    with tempfile.TemporaryDirectory(prefix=".cda-collect-", dir=output.parent) as tmp:
        staging = Path(tmp) / "out"
        staging.mkdir()
        if folder is not None:
            if not folder.is_dir():
                raise BadInput(f"{folder}: not a folder")
            from_folders(folder, staging, record)
        elif moodle is not None:
            from_moodle(moodle, staging, record)
        else:
            from_remotes(remotes, deadline, staging, record, history)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        meta = {"collected_at": stamp, "deadline": deadline.isoformat() if deadline else None, "learners": record}
        (staging / RECORD).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        if output.exists():
            output.rmdir()
        staging.rename(output)
    return record


def collected(folder: Path) -> dict:
    """What `cda collect` recorded about each learner of `folder` (empty when it did not collect it)."""
    path = folder / RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("learners", {}) if path.is_file() else {}
    except (OSError, ValueError):
        return {}
