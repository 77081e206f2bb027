"""JSON: the result contract itself (schema_version 1), as the engine emitted it."""

from __future__ import annotations

from graders.results import Result


def render(result: Result, lang: str = "fr") -> str:
    """`lang` is accepted for a uniform signature; the contract is language-independent."""
    return result.model_dump_json(indent=2) + "\n"
