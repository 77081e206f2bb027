"""Renders the exported catalogue as an HTML page."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_PAGE = _ENV.from_string(
    "<h1>{{ titre }}</h1>\n<ul>\n"
    "{% for doc in documents %}<li>{{ doc.titre }} ({{ doc.annee }})</li>\n{% endfor %}</ul>\n"
)


def render_page(config: dict) -> str:
    """The HTML page of the configuration's documents; every value is escaped."""
    return _PAGE.render(titre=config.get("titre", ""), documents=config.get("documents", []))
