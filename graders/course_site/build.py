"""`make site`: stage the course (staging.py), write `mkdocs.yml`, build the static site with MkDocs
Material, offline (no web fonts, no external script). See docs/course-site.md."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import yaml

from graders.course_site.staging import stage
from graders.labs import discover_labs
from graders.paths import REPO_ROOT
from graders.referentiel import load_referentiel

THEME = Path(__file__).with_name("theme")  # template overrides and the extra stylesheet


def mkdocs_config(docs: Path, site: Path, nav: list, translations: dict[str, str]) -> dict:
    return {
        "site_name": "CDA — Concepteur développeur d'applications",
        "site_description": "Parcours de formation au titre professionnel CDA (RNCP 37873) : cours, labs, quiz.",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": True,
        "strict": False,
        "nav": nav,
        "theme": {
            "name": "material",
            "language": "fr",
            "font": False,  # no Google Fonts: the site works offline
            "custom_dir": str(THEME),
            "features": ["navigation.top", "navigation.prune", "search.highlight", "content.code.copy"],
            "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
        },
        "extra_css": ["assets/cda.css"],
        "extra": {"generator": False},
        "markdown_extensions": [
            "admonition", "attr_list", "tables", "md_in_html", "def_list",
            {"toc": {"permalink": False}},
            "pymdownx.details",
            {"pymdownx.highlight": {"anchor_linenums": False}},
            "pymdownx.inlinehilite",
            "pymdownx.superfences",
            "graders.course_site.mdext",
        ],
        "plugins": [
            {"search": {"lang": ["fr", "en"]}},
            {"i18n": {
                "docs_structure": "suffix",
                "fallback_to_default": True,
                "reconfigure_material": True,
                "reconfigure_search": True,
                "languages": [
                    {"locale": "fr", "default": True, "name": "Français", "build": True},
                    {"locale": "en", "name": "English", "build": True, "nav_translations": translations},
                ],
            }},
        ],
    }


def build_site(output: Path, workdir: Path | None = None, repo: Path = REPO_ROOT) -> dict:
    """Builds the site into `output`; returns counts and the time taken."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started = time.monotonic()
    workdir = workdir or output.parent / "site-src"
    docs = workdir / "docs"
    labs = discover_labs()
    staged = stage(repo, docs, load_referentiel(), labs)
    config_file = workdir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(mkdocs_config(docs, output, staged.nav, staged.translations),
                                          allow_unicode=True, sort_keys=False), encoding="utf-8")
    warnings = Collected(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    saved = logger.handlers[:], logger.propagate
    logger.handlers, logger.propagate = [warnings], False
    try:
        config = load_config(str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.handlers, logger.propagate = saved
    html = list(output.rglob("*.html"))
    return {"pages": len(staged.pages), "html_files": len(html), "labs": len(labs),
            "seconds": round(time.monotonic() - started, 1), "warnings": warnings.messages}


class Collected(logging.Handler):
    """MkDocs' warnings (broken links...), kept for the caller instead of printed one by one."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
