"""HTML mock-ups: the stories each screen declares and the links between screens.

A screen is `<folder>/<name>.html`; it names the stories it realises with
`<meta name="user-stories" content="US-01 US-04">`. Its links (`a[href]`, `form[action]`) to another
local `.html` file are the edges of the screen flow it realises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

MAX_BYTES = 500_000
STORY = re.compile(r"US-\d{2,3}")


@dataclass
class Screen:
    name: str  # file stem: the node id of the screen-flow diagram
    path: str  # relative to the submission
    stories: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # names of the screens it links to


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stories: list[str] = []
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {k: (v or "") for k, v in attrs}
        if tag == "meta" and values.get("name", "").lower() == "user-stories":
            self.stories += STORY.findall(values.get("content", ""))
        elif tag == "a" and "href" in values:
            self.targets.append(values["href"])
        elif tag == "form" and "action" in values:
            self.targets.append(values["action"])


def read_screens(folder: Path, root: Path) -> dict[str, Screen]:
    """{name: Screen} for every `*.html` directly in `folder`."""
    screens: dict[str, Screen] = {}
    if not folder.is_dir():
        return screens
    for path in sorted(folder.glob("*.html")):
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            continue
        reader = _Reader()
        reader.feed(path.read_text(encoding="utf-8", errors="replace"))
        links = []
        for target in reader.targets:
            name = local_screen(target)
            if name and name != path.stem and name not in links:
                links.append(name)
        screens[path.stem] = Screen(path.stem, path.relative_to(root).as_posix(), list(dict.fromkeys(reader.stories)),
                                    links)
    return screens


def local_screen(target: str) -> str | None:
    """The screen a link leads to (`compte.html#x` -> `compte`), or None for other sites and files."""
    parts = urlsplit(target.strip())
    if parts.scheme or parts.netloc or not parts.path.endswith(".html"):
        return None
    return PurePosixPath(parts.path).stem


def crawl(screens: dict[str, Screen], start: str) -> set[tuple[str, str]]:
    """The edges reached by following links from `start` (unreachable screens contribute none, nor
    do links to a screen that has no mock-up: they lead nowhere)."""
    seen, edges, todo = {start}, set(), [start]
    while todo:
        current = todo.pop()
        for target in screens[current].links if current in screens else []:
            if target not in screens:
                continue
            edges.add((current, target))
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return edges
