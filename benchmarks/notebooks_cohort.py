"""A cohort of notebook submissions graded by `cda cohort grade` and by plain `nbgrader autograde`.

Both run once, as their users run them, on the same files (nbgrader's submitted/ folder), with the
same per-cell time limit: `nbgrader autograde` grades learners one after the other in one process;
`cda cohort grade` grades them side by side (--jobs, default twice the cores: a run also waits on its
kernel, on time limits and on the database), each in its own sandboxed kernel, in one process that
pays its imports and its services once. Prints both times and
their ratio, and fails if a single score differs.

    python benchmarks/notebooks_cohort.py [--learners 30] [--jobs N] [--lab nb-c3-regles-metier]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graders.labs import find_lab  # noqa: E402
from graders.notebooks.assignment import assignment_of  # noqa: E402
from graders.notebooks.cohort import default_jobs  # noqa: E402
from graders.notebooks.course import nbgrader, nbgrader_env  # noqa: E402

CELL_TIMEOUT = "5"  # the C3 lab's own per-cell limit, given to nbgrader too


def cohort(lab, notebook: str, learners: int) -> list[tuple[str, Path]]:
    """Typical submissions, round robin: the solution, the starter and every example."""
    kinds = [lab.path / "solution", lab.path / "starter"] + sorted(p for p in (lab.path / "examples").iterdir()
                                                                   if p.is_dir())
    return [(f"learner{i:03d}", kinds[i % len(kinds)] / notebook) for i in range(learners)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="cda's --jobs (default: its own default)")
    parser.add_argument("--lab", default="nb-c3-regles-metier")
    args = parser.parse_args()
    lab = find_lab(args.lab)
    notebook = next(s.options["notebook"] for s in lab.manifest.checks if s.kind == "nbgrader")
    assignment = assignment_of(lab).name  # nbgrader's name for the lab
    base = Path(tempfile.mkdtemp(prefix="cda-bench-nb-"))
    try:
        root = base / "course"
        root.mkdir()
        env = nbgrader_env(root, base / "exchange", CDA_NB_CELL_TIMEOUT=CELL_TIMEOUT)
        done = nbgrader("generate_assignment", assignment, env=env, cwd=root)
        assert done.returncode == 0, done.stderr[-2000:]
        for learner, source in cohort(lab, notebook, args.learners):
            dest = root / "submitted" / learner / assignment
            dest.mkdir(parents=True)
            shutil.copyfile(source, dest / notebook)
        print(f"{args.learners} submissions of {lab.id} on {os.cpu_count()} cores", flush=True)

        started = time.monotonic()
        done = nbgrader("autograde", assignment, env=env, cwd=root, timeout=3600)
        nbgrader_s = time.monotonic() - started
        ok = nbgrader("export", env=env, cwd=root)
        assert ok.returncode == 0, ok.stderr[-2000:]
        with open(root / "grades.csv", encoding="utf-8") as handle:
            theirs = {row["student_id"]: float(row["score"] or 0) for row in csv.DictReader(handle)}

        out = base / "cda"
        started = time.monotonic()
        cda = subprocess.run([str(Path(sys.executable).parent / "cda"), "cohort", "grade", lab.id,
                              str(root / "submitted"), "--output", str(out), "--jobs", str(args.jobs)],
                             capture_output=True, text=True, env={**os.environ, "CDA_CHECK_JOBS": "1"})
        cda_s = time.monotonic() - started
        assert cda.returncode == 0, cda.stderr[-3000:]
        with open(out / "grades.csv", encoding="utf-8") as handle:
            ours = {row["learner"]: float(row["score"]) for row in csv.DictReader(handle)}

        learners = sorted(ours)
        differ = [(n, theirs.get(n, 0.0), ours[n]) for n in learners if theirs.get(n, 0.0) != ours[n]]
        print(f"nbgrader autograde : {nbgrader_s:7.1f} s  ({nbgrader_s / len(learners):.2f} s per submission)")
        print(f"cda cohort grade   : {cda_s:7.1f} s  ({cda_s / len(learners):.2f} s per submission, --jobs {args.jobs})")
        print(f"ratio              : {nbgrader_s / cda_s:.2f}x")
        print(f"scores             : {'identical' if not differ else f'{len(differ)} differ'} "
              f"({sum(ours.values()):g} points in all)")
        for name, nb_score, cda_score in differ:
            print(f"  {name}: nbgrader {nb_score} / cda {cda_score}")
        return 1 if differ else 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
