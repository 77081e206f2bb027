"""Weighted pass/fail items, each evidencing its own criteria: how the C1 checks score and report."""

from __future__ import annotations

from dataclasses import dataclass, field

from graders.results import TestCase


@dataclass
class Item:
    name: str
    weight: float
    criteria: list[str]
    ok: bool
    message: str | None = None
    status: str | None = None  # "skipped": not assessed (scores nothing either way)
    extra: dict = field(default_factory=dict)


def score(items: list[Item], points: float) -> tuple[float, list[TestCase]]:
    """The fraction earned over the assessed items, and one test case per item carrying its share of
    the check's `points` (criterion verdicts add the tests' points per criterion)."""
    assessed = [item for item in items if item.status != "skipped"]
    total = sum(item.weight for item in assessed) or 1.0
    share = {id(item): round(points * item.weight / total, 4) if item.status != "skipped" else 0.0 for item in items}
    tests = [TestCase(name=item.name, status=item.status or ("passed" if item.ok else "failed"),
                      score=share[id(item)] if item.ok else 0.0, max_score=share[id(item)],
                      message=item.message, criteria=item.criteria) for item in items]
    return sum(item.weight for item in assessed if item.ok) / total, tests
