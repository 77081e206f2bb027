"""Every lab of the course grades its own reference submissions as declared.

solution/ at full marks with every criterion acquired, starter/ under half, each examples/<name>/
inside its expected range and with the criterion verdicts it declares.
Also checks the lab layout that learners and instructors rely on.
"""

import pytest

from graders.checks.ci.gitlab_local import unavailable_reason as gitlab_unavailable
from graders.demo import targets
from graders.engine import grade
from graders.checks import check_class
from graders.labs import discover_labs

LABS = discover_labs()
TARGETS = targets(LABS)


def test_there_are_labs():
    assert LABS, "labs/ holds no lab"


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.id)
def test_lab_layout(lab):
    for part in ("README.md", "starter", "solution", "grader"):
        assert (lab.path / part).exists(), f"{lab.id}: missing {part}"
    assert (lab.path / "examples").is_dir() and any((lab.path / "examples").iterdir()), f"{lab.id}: no examples"
    declared = set(lab.manifest.examples)
    on_disk = {p.name for p in (lab.path / "examples").iterdir() if p.is_dir()}
    assert declared == on_disk, f"{lab.id}: examples declared {sorted(declared)} vs on disk {sorted(on_disk)}"
    statement = (lab.path / "README.md").read_text(encoding="utf-8")
    assert len(statement) > 500, f"{lab.id}: the statement is too short to be one"


def unavailable(lab) -> str | None:
    """Why a check of this lab cannot run on this machine (a check class's `unavailable_reason()`: no
    Docker engine...), else None: such a lab's targets are skipped with the reason, not failed."""
    for spec in lab.manifest.checks:
        reason = getattr(check_class(spec.kind), "unavailable_reason", lambda: None)()
        if reason:
            return f"{spec.kind}: {reason}"
    return None


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.label)
def test_reference_submission_lands_on_target(target):
    reason = unavailable(target.lab)
    if reason:
        pytest.skip(f"{target.lab.id} cannot be graded here: {reason}")
    if any(spec.kind == "gitlab-pipeline" for spec in target.lab.manifest.checks) and gitlab_unavailable():
        pytest.skip(f"gitlab-ci-local: {gitlab_unavailable()}")
    result = grade(target.lab, target.path, lang="fr")
    assert result.status == "graded"
    errors = [f"{c.id}: {c.message}" for c in result.checks if c.status == "error"]
    if target.name == "solution":
        assert not errors, errors
        for check in result.checks:
            if check.kind == "web-audit" and check.visible:
                assert check.metrics.get("ecoindex"), f"{check.id}: no EcoIndex measured"
    assert target.misses(result) == [], f"{target.label}: " + "; ".join(
        f"{c.id} {c.score}/{c.max_score}" for c in result.checks)
