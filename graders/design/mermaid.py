"""Mermaid diagrams parsed by Mermaid itself, in the headless Chromium of graders/browser.py.

The pinned `mermaid` npm package is installed by `make install` under `.venv/npm/` (see
docs/design-labs.md). Each diagram is parsed (`mermaidAPI.getDiagramFromText`) then rendered to
SVG (`mermaid.render`); the parser's own model gives the nodes, edges, actors and messages.
The page has no network; the diagram text goes in as an argument, never as code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from graders.errors import GraderUnavailable
from graders.paths import REPO_ROOT

MERMAID_VERSION = "11.4.1"
MAX_BYTES = 50_000
MAX_FILES = 20  # a submission cannot keep the browser busy with hundreds of diagrams


def mermaid_js() -> Path:
    """The installed mermaid.min.js, or GraderUnavailable saying how to install it."""
    prefix = Path(os.environ.get("CDA_NPM_PREFIX", REPO_ROOT / ".venv" / "npm"))
    path = prefix / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    if not path.is_file():
        raise GraderUnavailable(f"mermaid {MERMAID_VERSION} not installed at {prefix} (run `make install`)")
    return path


@dataclass
class Diagram:
    path: str
    type: str | None = None
    error: str | None = None
    title: str | None = None
    nodes: dict[str, str] = field(default_factory=dict)  # id -> label (flowcharts)
    edges: list[tuple[str, str]] = field(default_factory=list)
    actors: dict[str, str] = field(default_factory=dict)  # name -> description (sequence diagrams)
    actor_kinds: dict[str, str] = field(default_factory=dict)  # name -> actor | participant...
    messages: int = 0


SCRIPT = """async (texts) => {
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
  const values = (m) => (m instanceof Map) ? [...m.values()] : Object.values(m || {});
  const out = [];
  let n = 0;
  for (const text of texts) {
    try {
      const d = await mermaid.mermaidAPI.getDiagramFromText(text);
      const db = d.db, r = {type: d.type};
      r.title = db.getDiagramTitle ? db.getDiagramTitle() : null;
      if (db.getVertices) {
        r.nodes = values(db.getVertices()).map(v => [v.id, v.text || v.id]);
        r.edges = db.getEdges().map(e => [e.start, e.end]);
      }
      if (db.getActors) {
        r.actors = values(db.getActors()).map(a => [a.name, a.description || a.name, a.type || 'participant']);
        r.messages = db.getMessages().filter(m => m.from && m.to).length;
      }
      await mermaid.render('cda-diagram-' + (n++), text);
      out.push(r);
    } catch (e) {
      out.push({error: String((e && e.message) || e).slice(0, 400)});
    }
  }
  return out;
}"""


def parse_diagrams(files: dict[str, str], timeout_s: float = 30) -> dict[str, Diagram]:
    """{relative path: Diagram} for {relative path: Mermaid text}, in one browser page."""
    from graders.browser import BrowserTimeout, with_browser

    if not files:
        return {}
    script = mermaid_js().read_text(encoding="utf-8")
    names = list(files)

    def parse(browser):
        context = browser.new_context(service_workers="block")
        context.set_default_timeout(timeout_s * 1000)
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        page.set_content("<!DOCTYPE html><html><body></body></html>")
        page.add_script_tag(content=script)
        return page.evaluate(SCRIPT, [files[n] for n in names])

    try:
        raw = with_browser(parse, timeout_s=timeout_s + 30)  # its start, then the diagrams' own clock
    except BrowserTimeout:
        busy = f"Mermaid had not finished after {timeout_s:.0f} s (the diagrams are too large or too complex)"
        return {name: Diagram(name, error=busy) for name in names}
    diagrams = {}
    for name, item in zip(names, raw):
        if item.get("error"):
            diagrams[name] = Diagram(name, error=item["error"])
            continue
        diagrams[name] = Diagram(
            name, type=item.get("type"), title=item.get("title") or None,
            nodes={i: str(t) for i, t in item.get("nodes") or []}, edges=[tuple(e) for e in item.get("edges") or []],
            actors={a: str(d) for a, d, _ in item.get("actors") or []},
            actor_kinds={a: k for a, _, k in item.get("actors") or []}, messages=item.get("messages") or 0)
    return diagrams


def read_diagram_files(folder: Path, root: Path) -> dict[str, str]:
    """{relative path: text} of the `*.mmd` files under `folder` (too large ones are left out)."""
    if not folder.is_dir():
        return {}
    files = [p for p in sorted(folder.rglob("*.mmd")) if p.is_file() and not p.is_symlink()
             and p.stat().st_size <= MAX_BYTES][:MAX_FILES]
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in files}


def shared_diagrams(ctx, folder: str) -> dict[str, Diagram]:
    """The diagrams of the submission, parsed once for every check of this grade that asks."""
    root = ctx.workspace
    return ctx.once(("mermaid", folder), lambda: parse_diagrams(read_diagram_files(root / folder, root)))
