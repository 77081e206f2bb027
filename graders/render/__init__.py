"""Renderers of a `Result`: one module per format, each with `render(result, lang) -> str` and the
`FORMAT` its `cda.renderers` entry point names (graders/render/registry.py)."""

from __future__ import annotations

from graders.render.dashboard import DashboardEntry, render_dashboard
from graders.render.registry import (
    ReportFormat,
    formats_for,
    installed_formats,
    render,
    write_report,
    write_reports,
)


def __getattr__(name: str):
    """`RENDERERS`: {format: render function}, read from the installed entry points when asked for."""
    if name == "RENDERERS":
        return {fmt: spec.render for fmt, spec in installed_formats().items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RENDERERS", "DashboardEntry", "ReportFormat", "formats_for", "installed_formats", "render",
    "render_dashboard", "write_report", "write_reports",
]
