"""`cda cohort grade` with the gradebook: every submission graded in parallel (up to `jobs` at once,
one service pool), a Rich progress bar, each result stored as soon as it is graded (one
transaction per submission, so an interrupted run keeps what it finished), and a rerun grading only
what the gradebook does not hold yet (same learner, lab and content hash)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select
from sqlalchemy.orm import Session

from graders.console import err
from graders.instructor.collect import collected
from graders.instructor.gradebook import Submission, content_hash, graded_hashes, open_gradebook, store_result
from graders.results import Result


def _stamp(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def stored_result(engine, lab_id: str, learner: str, digest: str) -> Result:
    with Session(engine) as session:
        row = session.scalars(select(Submission).where(Submission.lab_id == lab_id, Submission.learner_id == learner,
                                                       Submission.content_hash == digest)).one()
        return Result.model_validate(row.result)


def grade_to_gradebook(lab, submissions: dict[str, Path], folder: Path, jobs: int, lang: str,
                       gradebook: str | None, regrade: bool = False,
                       warm: bool | None = None) -> tuple[dict[str, Result], int]:
    """Grade what the gradebook lacks (everything with `regrade`, replacing the stored results), store
    each result as it comes; return every learner's result (the stored one for submissions already
    graded) and how many were graded now. pytest runs fork from the lab's warm sandboxes unless
    `warm` is False (None: CDA_WARM decides, on by default; graders/sandbox/warm.py)."""
    from graders.engine import grade
    from graders.sandbox import get_sandbox
    from graders.sandbox.warm import WarmPool
    from graders.services import ServicePool

    engine = open_gradebook(gradebook)
    origin = collected(folder)
    digests = {learner: content_hash(path) for learner, path in submissions.items()}
    done = set() if regrade else graded_hashes(engine, lab.id)
    todo = {learner: path for learner, path in submissions.items() if (learner, digests[learner]) not in done}
    results = {learner: stored_result(engine, lab.id, learner, digests[learner])
               for learner in submissions if learner not in todo}
    if not todo:
        return results, 0
    sandbox = get_sandbox()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with ServicePool() as pool, WarmPool(warm) as zygotes, ThreadPoolExecutor(max_workers=max(1, jobs)) as executor, \
            Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task(lab.id, total=len(todo))
        futures = {executor.submit(grade, lab, path, lang=lang, sandbox=sandbox, services={"pool": pool, "warm": zygotes}): learner
                   for learner, path in todo.items()}
        for future in as_completed(futures):
            learner = futures[future]
            result = future.result()
            info = origin.get(learner, {})
            store_result(engine, learner, result, digests[learner], commit=info.get("commit"),
                         submitted_at=_stamp(info.get("commit_date")), name=info.get("name"),
                         external_id=info.get("moodle_id"))
            results[learner] = result
            progress.advance(task)
    return dict(sorted(results.items())), len(todo)
