"""User stories: one Gherkin feature per story, parsed with the official parser (gherkin-official).

A story is tagged with its own id (`@US-01`) and the requirement ids it covers (`@EX-03`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

STORY_ID = re.compile(r"^US-\d{2,3}$")
REQUIREMENT_ID = re.compile(r"^EX-\d{2,3}$")
MAX_BYTES = 200_000


@dataclass
class Scenario:
    name: str
    line: int
    runs: int  # 1, or the rows of a scenario outline's examples
    keywords: tuple[str, ...]  # keywordType of each step: Context, Action, Outcome, Conjunction


@dataclass
class Story:
    path: str
    line: int
    name: str
    ids: list[str] = field(default_factory=list)  # its own US ids (one expected)
    requirements: list[str] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)


@dataclass
class Stories:
    stories: list[Story] = field(default_factory=list)
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)  # (path, line, message)


def read_stories(folder: Path, root: Path) -> Stories:
    """Every `*.feature` under `folder`, parsed; syntax errors are collected, never raised."""
    from gherkin.errors import CompositeParserException, ParserException
    from gherkin.parser import Parser
    from gherkin.token_scanner import TokenScanner

    result = Stories()
    if not folder.is_dir():
        return result
    for path in sorted(folder.rglob("*.feature")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            continue
        if path.stat().st_size > MAX_BYTES:
            result.errors.append((rel, None, "file too large"))
            continue
        try:
            document = Parser().parse(TokenScanner(path.read_text(encoding="utf-8")))
        except (CompositeParserException, ParserException) as exc:
            lines = [line for line in str(exc).strip().splitlines() if re.match(r"\(\d+:\d+\)", line)]
            first = (lines or str(exc).strip().splitlines() or ["?"])[0][:300]
            found = re.match(r"\((\d+):\d+\)", first)
            result.errors.append((rel, int(found.group(1)) if found else None, first))
            continue
        except UnicodeDecodeError:
            result.errors.append((rel, None, "not UTF-8 text"))
            continue
        feature = document.get("feature")
        if not feature:
            result.errors.append((rel, None, "no Feature (Fonctionnalité)"))
            continue
        tags = [t["name"].lstrip("@") for t in feature.get("tags", [])]
        story = Story(rel, feature["location"]["line"], feature.get("name", ""),
                      ids=[t for t in tags if STORY_ID.match(t)], requirements=[t for t in tags if REQUIREMENT_ID.match(t)])
        for child in _scenarios(feature):
            rows = sum(len(e.get("tableBody", [])) for e in child.get("examples", []))
            story.scenarios.append(Scenario(child.get("name", ""), child["location"]["line"],
                                            rows if child.get("examples") else 1,
                                            tuple(s.get("keywordType", "") for s in child.get("steps", []))))
        result.stories.append(story)
    return result


def _scenarios(feature: dict):
    for child in feature.get("children", []):
        if "scenario" in child:
            yield child["scenario"]
        elif "rule" in child:
            yield from (c["scenario"] for c in child["rule"].get("children", []) if "scenario" in c)
