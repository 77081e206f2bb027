"""The nbgrader course built from the notebook labs, and the lab authors' release tool.

Course layout (nbgrader's): <root>/source/<assignment>/<notebook>.ipynb plus the lab's released data,
<root>/release, submitted, autograded, feedback, gradebook.db. The assignment is the lab id unless
its nbgrader checks name another (`assignment = "ps1"`, graders/notebooks/assignment.py); its source
is copied from the lab's source folder, labs/<id>/grader/ by default (everything but private/, which
holds grader-only data).

    python -m graders.notebooks.course release [LAB ...]
        regenerates starter/ (with `nbgrader generate_assignment`) and solution/ of notebook labs.
    python -m graders.notebooks.course lab [--port N]
        JupyterLab with the nbgrader extensions on the course (`make lab`), serving the folder that
        holds the course (formgrader needs the course inside the served folder) and <that folder>/learner
        (CDA_LEARNER_DIR), where the Assignments panel fetches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from graders.paths import REPO_ROOT

PRIVATE = "private"
IGNORED = shutil.ignore_patterns(PRIVATE, "__pycache__", ".ipynb_checkpoints", "*.pyc")


def notebook_labs():
    from graders.labs import discover_labs

    return [lab for lab in discover_labs() if lab.manifest.kind == "notebook"]


def ensure_course_source(root: Path, labs=None, overwrite: bool = False) -> list[str]:
    """Copy each notebook lab's source into <root>/source/<assignment> unless it is there already;
    returns the assignments added."""
    from graders.errors import BadInput
    from graders.notebooks.assignment import assignment_of

    added, owners = [], {}
    for lab in labs if labs is not None else notebook_labs():
        assignment = assignment_of(lab)
        if owners.setdefault(assignment.name, lab.id) != lab.id:
            raise BadInput(f"labs {owners[assignment.name]} and {lab.id} are both nbgrader assignment "
                           f"{assignment.name!r}: give one of them another `assignment`")
        dest = Path(root) / "source" / assignment.name
        if dest.exists() and not overwrite:
            continue
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(assignment.source, dest, ignore=IGNORED)
        added.append(assignment.name)
    return added


def nbgrader_env(course_root: Path, exchange: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment for the real `nbgrader` commands with the project's jupyter_config.py."""
    env = dict(os.environ)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
    env["JUPYTER_CONFIG_PATH"] = str(REPO_ROOT)
    env["CDA_COURSE_ROOT"] = str(course_root)
    if exchange is not None:
        env["CDA_EXCHANGE"] = str(exchange)
    env.update(extra)
    return env


def nbgrader(*args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "nbgrader"), *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def lab_command(served: Path, port: int = 8888, token: str | None = None) -> list[str]:
    """The `jupyter lab` command line for the course (run it with nbgrader_env(), cwd=served, and
    CDA_LEARNER_DIR set; `served` must hold the course root)."""
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", f"--ServerApp.root_dir={served}",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if os.geteuid() == 0:
        command.append("--allow-root")
    return command


def database_seeds(labs=None) -> list[Path]:
    """The PostgreSQL seeds of the notebook labs (`postgres_seed` of their nbgrader checks)."""
    from graders.notebooks.assignment import nbgrader_options

    seeds: list[Path] = []
    for lab in labs if labs is not None else notebook_labs():
        for options in nbgrader_options(lab):
            seed = options.postgres_seed
            path = lab.resolve(seed) if seed else None
            if path and path not in seeds:
                seeds.append(path)
    return seeds


@contextmanager
def lab_databases(labs=None, pool=None) -> Iterator[dict[str, str]]:
    """DATABASE_URL for the learners' kernels: a copy of the SQL notebook's database, on this
    machine's throwaway PostgreSQL (started for the session, removed at its end). Empty, with a
    message, when PostgreSQL is not installed."""
    from graders.notebooks.database import host_database
    from graders.services import postgres

    seeds = database_seeds(labs)
    if not seeds:
        yield {}
        return
    reason = postgres.unavailable_reason()
    if reason:
        print(f"No database for the SQL notebooks ({reason}): they will ask for DATABASE_URL.", flush=True)
        yield {}
        return
    if len(seeds) > 1:
        print(f"Several notebook databases: DATABASE_URL holds the first one ({seeds[0].name}).", flush=True)
    with host_database(seeds[0], pool=pool) as env:
        print(f"PostgreSQL database for the SQL notebooks: {seeds[0].name} (DATABASE_URL).", flush=True)
        yield env


def start_lab(port: int) -> int:
    """Prepare the course, the exchange and the notebooks' database, then run JupyterLab until it
    stops (Ctrl-C): the database is removed afterwards."""
    from graders.notebooks.config import course_config

    config = course_config()
    root, exchange = Path(config.CourseDirectory.root), Path(config.Exchange.root)
    root.mkdir(parents=True, exist_ok=True)
    ensure_course_source(root)
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o777)  # learners write their submissions into it
    served = root.parent
    learner = Path(os.environ.get("CDA_LEARNER_DIR", served / "learner"))
    learner.mkdir(parents=True, exist_ok=True)
    env = nbgrader_env(root, exchange, CDA_LEARNER_DIR=str(learner))
    print(f"JupyterLab on {served}: course {root}, learner's folder {learner}, exchange {exchange}")
    print("Menu Nbgrader > Assignment List (learners), Formgrader (instructors).", flush=True)
    with lab_databases() as database_env:
        server = subprocess.Popen(lab_command(served, port=port), cwd=served, env={**env, **database_env})
        try:
            return server.wait()
        except KeyboardInterrupt:  # SIGTERM: JupyterLab shuts down without asking for confirmation
            server.terminate()
            try:
                return server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                return server.wait()


def release_lab(lab) -> None:
    """starter/ = what `nbgrader generate_assignment` releases; solution/ = that, with the solutions."""
    from graders.notebooks.assignment import assignment_of
    from graders.notebooks.sourcebook import build_book

    assignment = assignment_of(lab)
    with tempfile.TemporaryDirectory(prefix="cda-release-") as tmp:
        root = Path(tmp) / "course"
        ensure_course_source(root, [lab])
        done = nbgrader("generate_assignment", assignment.name, "--force",
                        env=nbgrader_env(root, Path(tmp) / "exchange"), cwd=root)
        if done.returncode:
            raise RuntimeError(f"generate_assignment {assignment.name} ({lab.id}) failed:\n{done.stdout}\n{done.stderr}")
        released = root / "release" / assignment.name
        for target in ("starter", "solution"):
            folder = lab.path / target
            if folder.exists():
                shutil.rmtree(folder)
            shutil.copytree(released, folder)
        (lab.path / "starter" / ".cda-lab").write_text(lab.id + "\n", encoding="utf-8")
        import nbformat

        for source in sorted(assignment.source.glob("*.ipynb")):
            book = build_book(source)
            nbformat.write(book.solution_notebook(), str(lab.path / "solution" / source.name))


def main(argv: list[str]) -> int:
    if argv[:1] == ["lab"]:
        port = int(argv[argv.index("--port") + 1]) if "--port" in argv else 8888
        return start_lab(port)
    if not argv or argv[0] != "release":
        print(__doc__)
        return 2
    wanted = set(argv[1:])
    for lab in notebook_labs():
        if not wanted or lab.id in wanted:
            release_lab(lab)
            print(f"released {lab.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
