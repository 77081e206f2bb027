"""JSON: the result contract itself (graders/results.py, docs/result.schema.json), as the engine emitted it."""

from __future__ import annotations

from graders.render.registry import ReportFormat
from graders.results import Result


def render(result: Result, lang: str = "fr") -> str:
    """`lang` is accepted for a uniform signature; the contract is language-independent."""
    return result.model_dump_json(indent=2) + "\n"


FORMAT = ReportFormat(render, ".json", help="Write the result contract (JSON).", order=10)
