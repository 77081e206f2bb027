"""Cohort throughput: `cda cohort grade` (side by side, into the gradebook) against the shell loop an
instructor would otherwise write (`for d in subs/*; do cda grade LAB "$d" --json ...; done`).

For a repo lab and a notebook lab, the same typical submissions (round robin: solution, starter,
every example) are graded both ways; prints submissions per minute for each and their ratio, and
fails if a single score differs.

    python benchmarks/instructor_cohort.py [--learners 8] [--jobs N] [--repo-lab c6-architecture-couches]
                                           [--notebook-lab nb-c3-regles-metier]
"""

from __future__ import annotations

import argparse
import json
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
from graders.notebooks.cohort import default_jobs  # noqa: E402

CDA = str(Path(sys.executable).parent / "cda")


def submissions(lab, learners: int, dest: Path) -> None:
    kinds = [lab.path / "solution", lab.path / "starter"] + sorted(
        p for p in (lab.path / "examples").iterdir() if p.is_dir())
    notebook = next((s.options["notebook"] for s in lab.manifest.checks if s.kind == "nbgrader"), None)
    dest.mkdir(parents=True)
    for i in range(learners):
        source = kinds[i % len(kinds)]
        if notebook:
            shutil.copy(source / notebook, dest / f"learner{i:03d}.ipynb")
        else:
            shutil.copytree(source, dest / f"learner{i:03d}")


def shell_loop(lab, subs: Path, out: Path) -> dict[str, float | None]:
    out.mkdir()
    scores = {}
    for entry in sorted(subs.iterdir()):
        learner = entry.stem if entry.suffix == ".ipynb" else entry.name
        done = subprocess.run([CDA, "grade", lab.id, str(entry), "--json", str(out / f"{learner}.json"), "-q"],
                              check=False, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            print(f"  cda grade {entry.name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
            scores[learner] = None
            continue
        scores[learner] = json.loads((out / f"{learner}.json").read_text())["score"]
    return scores


def cohort(lab, subs: Path, out: Path, jobs: int, book: Path) -> dict[str, float]:
    done = subprocess.run([CDA, "cohort", "grade", lab.id, str(subs), "-o", str(out), "-j", str(jobs),
                           "--gradebook", str(book)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return {p.stem: json.loads(p.read_text())["score"] for p in sorted((out / "results").glob("*.json"))}


def measure(lab_id: str, learners: int, jobs: int, base: Path) -> bool:
    lab = find_lab(lab_id)
    subs = base / lab.id / "subs"
    submissions(lab, learners, subs)
    started = time.monotonic()
    looped = shell_loop(lab, subs, base / lab.id / "loop")
    loop_s = time.monotonic() - started
    started = time.monotonic()
    graded = cohort(lab, subs, base / lab.id / "cohort", jobs, base / lab.id / "gradebook.sqlite")
    cohort_s = time.monotonic() - started
    per_min = lambda seconds: 60 * learners / seconds  # noqa: E731
    print(f"{lab.id} ({lab.manifest.kind}), {learners} submissions, {os.cpu_count()} cores")
    print(f"  shell loop of cda grade : {loop_s:7.1f} s  {per_min(loop_s):6.1f} submissions/min")
    print(f"  cda cohort grade -j {jobs:<3}: {cohort_s:7.1f} s  {per_min(cohort_s):6.1f} submissions/min"
          f"  (x{loop_s / cohort_s:.2f})")
    differ = {k: (looped[k], graded.get(k)) for k in looped if graded.get(k) != looped[k]}
    if differ:
        print(f"  scores differ: {differ}")
    return not differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--repo-lab", default="c6-architecture-couches")
    parser.add_argument("--notebook-lab", default="nb-c3-regles-metier")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="cda-bench-cohort-"))
    try:
        ok = [measure(lab, args.learners, args.jobs, base) for lab in (args.repo_lab, args.notebook_lab)]
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
