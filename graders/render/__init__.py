"""Renderers of a `Result`: one module per format, each with `render(result, lang) -> str`."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from graders.errors import BadInput
from graders.render import gradescope, html, json, junit, markdown, sarif
from graders.render.dashboard import DashboardEntry, render_dashboard
from graders.results import Result

Renderer = Callable[..., str]

RENDERERS: dict[str, Renderer] = {
    "json": json.render,
    "markdown": markdown.render,
    "html": html.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "gradescope": gradescope.render,
}

EXTENSIONS = {
    "json": ".json",
    "markdown": ".md",
    "html": ".html",
    "junit": ".xml",
    "sarif": ".sarif",
    "gradescope": ".json",
}


def render(result: Result, fmt: str, lang: str = "fr") -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise BadInput(f"unknown report format {fmt!r} (choose from {', '.join(RENDERERS)})") from None
    return renderer(result, lang=lang)


def write_report(result: Result, fmt: str, path: str | Path, lang: str = "fr") -> Path:
    """Render `result` as `fmt` and write it to `path` (UTF-8), creating parent directories."""
    text = render(result, fmt, lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


__all__ = ["RENDERERS", "EXTENSIONS", "DashboardEntry", "render", "render_dashboard", "write_report"]
