"""What the API shows of a submission: hidden tests by name and verdict only, hidden-test text cut out."""

from __future__ import annotations

from functools import lru_cache

from graders.redaction import hidden_test_lines, redact, secret_fragments
from graders.service.models import ServiceSubmission
from graders.service.store import aware


@lru_cache(maxsize=64)
def lab_secrets(lab_id: str) -> tuple[str, ...]:
    """The distinctive lines of the lab's hidden tests (`grader/` and each hidden check's tests), and
    the quoted pieces of them."""
    from graders.errors import CdaError
    from graders.service.intake import lab_by_id

    try:
        lab = lab_by_id(lab_id)
    except CdaError:  # a lab removed since: nothing of it to cut
        return ()
    folders = {lab.path / "grader"}
    for spec in lab.manifest.checks:
        tests = spec.options.get("tests") if not spec.visible else None
        if isinstance(tests, str):
            folders.add(lab.path / tests)
    lines = [line for folder in sorted(folders) if folder.is_dir() for line in hidden_test_lines(folder)]
    return secret_fragments(lines, "")


def learner_result(result: dict | None, lab_id: str) -> dict | None:
    if result is None:
        return None
    checks = []
    for check in result.get("checks", []):
        hidden_check = not check.get("visible", True)
        tests = [{"name": t["name"], "status": t["status"], "score": t.get("score", 0.0),
                  "max_score": t.get("max_score", 0.0), "hidden": True}
                 if hidden_check or t.get("hidden") else t for t in check.get("tests", [])]
        checks.append({**check, "tests": tests})
    return redact({**result, "checks": checks}, lab_secrets(lab_id))


def stamp(value) -> str | None:
    value = aware(value)
    return value.isoformat() if value is not None else None


def summary(row: ServiceSubmission) -> dict:
    reason = redact(row.reason, lab_secrets(row.lab_id)) if row.reason else None
    return {"id": row.id, "lab": row.lab_id, "learner": row.learner_id, "status": row.status,
            "reason": reason, "attempts": row.attempts, "created_at": stamp(row.created_at),
            "finished_at": stamp(row.finished_at)}
