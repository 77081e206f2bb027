"""Read a git bundle into JSON: commits, branches and the secrets of every revision. argv: BUNDLE OUT.json MAX_COMMITS.

Runs inside the sandbox (`python -I`), beside secrets_scan.py (copied next to it); depends on
GitPython, detect-secrets and the standard library. The bundle is cloned bare into the sandbox's
private /tmp, with hooks off, no system or global git configuration and object checks on: nothing
is checked out, no filter nor hook of the learner's can run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

# The workspace is the learner's: git must never take it for a repository (a bare repository's
# `config` planted at its root could name an fsmonitor command), so every git runs from a private
# folder on our own clone, named explicitly, with discovery stopped above it.
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_TERMINAL_PROMPT": "0",
           "GIT_ATTR_NOSYSTEM": "1", "HOME": tempfile.gettempdir(), "LANG": "C.UTF-8",
           "GIT_CEILING_DIRECTORIES": "/"}
SAFE = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=", "-c", "transfer.fsckObjects=true",
        "-c", "protocol.allow=never", "-c", "protocol.file.allow=always"]
MAX_MESSAGE = 4000
MAX_FILES = 300


def clone(bundle: str) -> tuple[str | None, str | None]:
    bundle = os.path.abspath(bundle)
    home = tempfile.mkdtemp(prefix="history-")
    target = os.path.join(home, "repo.git")
    os.environ.update(GIT_ENV)
    os.chdir(home)
    try:
        proc = subprocess.run(["git", *SAFE, "clone", "--mirror", "--quiet", "--template=", bundle, target],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"git clone: {type(exc).__name__}: {exc}"[:300]
    if proc.returncode != 0:
        return None, (proc.stderr.strip().splitlines() or ["git clone failed"])[-1][:300]
    return target, None


def trailers(message: str) -> list[list[str]]:
    """`Key: value` lines of the message's last paragraph (git's trailer block)."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return []
    found = []
    for line in paragraphs[-1].splitlines():
        key, sep, value = line.partition(":")
        if sep and key and " " not in key.strip() and value.strip():
            found.append([key.strip(), value.strip()])
    return found


def commits(path: str, max_commits: int) -> tuple[list[dict], dict[str, str], bool]:
    import git

    repo = git.Repo(path)
    heads = {ref.name.removeprefix("refs/heads/"): ref.commit.hexsha for ref in repo.references
             if ref.path.startswith("refs/heads/")}
    found = []
    for commit in repo.iter_commits("--all", max_count=max_commits + 1, topo_order=True):
        if len(found) >= max_commits:
            return found, heads, True
        message = commit.message if isinstance(commit.message, str) else commit.message.decode("utf-8", "replace")
        files = [] if len(commit.parents) > 1 else list(commit.stats.files)[:MAX_FILES]
        found.append({"sha": commit.hexsha, "parents": [p.hexsha for p in commit.parents],
                      "author": commit.author.name or "", "email": commit.author.email or "",
                      "date": commit.authored_datetime.isoformat(), "message": message[:MAX_MESSAGE],
                      "trailers": trailers(message[:MAX_MESSAGE]), "files": [str(f) for f in files]})
    return found, heads, False


def main(argv: list[str]) -> int:
    bundle, out_path, max_commits = argv[0], argv[1], int(argv[2])
    report: dict = {"error": None, "commits": [], "heads": {}, "truncated": False, "secrets": [], "secrets_error": None}
    path, report["error"] = clone(bundle)
    if path:
        try:
            report["commits"], report["heads"], report["truncated"] = commits(path, max_commits)
        except Exception as exc:  # corrupt objects: reported, never a traceback in place of a verdict
            report["error"], path = f"{type(exc).__name__}: {exc}"[:300], None
    if path:
        if not report["commits"]:
            report["error"] = "the bundle holds no commit"
            path = None
    if path:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import secrets_scan

        secrets_scan._settings()
        report["secrets"], report["secrets_error"] = secrets_scan.scan_history(path, max_commits, set())
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
