"""Headless Chromium (Debian's /usr/bin/chromium) through Playwright, and axe-core audits of pages.

Generic on purpose: the HTML report tests use it, and web-audit checks build on it.
Playwright's own browser downloads are never used: the system Chromium is launched instead.
"""

from __future__ import annotations

import os
import signal
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from graders.errors import GraderUnavailable

if TYPE_CHECKING:  # playwright is imported lazily: the CLI must start without it
    from playwright.sync_api import Browser, Page, Playwright

T = TypeVar("T")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The Chromium executable, or GraderUnavailable with a one-line reason."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        raise GraderUnavailable(f"Chromium not found at {CHROMIUM} (install the Debian package `chromium`)")
    return CHROMIUM


def launch(playwright: "Playwright", extra_args: list[str] | None = None) -> "Browser":
    """Launch headless Chromium: `with sync_playwright() as p: browser = launch(p)`."""
    executable = chromium_path()
    try:
        return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS + (extra_args or []),
                                          headless=True)
    except Exception as exc:  # playwright raises its own Error type with a multi-line log
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraderUnavailable(f"Chromium at {executable} did not start: {first}") from exc


class BrowserTimeout(Exception):
    """The browser was still busy when its time was up (a page that never yields, a huge diagram)."""


def with_browser(work: "Callable[[Browser], T]", timeout_s: float | None = None) -> T:
    """`work(browser)` on a fresh headless Chromium, closed afterwards; returns what `work` returns.

    The whole Playwright session runs in a thread of its own. Playwright's sync API refuses to
    start in a thread where an asyncio loop runs: a caller's own Playwright session, a notebook
    kernel, an async server. A check's verdict must not depend on what its caller runs, so every
    grader-side browser goes through here. `work` must return plain data, not Playwright objects.

    `timeout_s` bounds the session: learner pages and diagrams are hostile, and Playwright's
    `evaluate` waits for ever on a page whose script never yields. When it runs out, this browser
    (found by a marker switch on its command line) is killed and BrowserTimeout raised.
    """
    chromium_path()  # the one-line reason when it is missing, before a thread is spent
    marker = f"--cda-browser-session={uuid.uuid4().hex}"
    outcome: dict[str, Any] = {}

    def session() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = launch(playwright, extra_args=[marker])
                try:
                    outcome["value"] = work(browser)
                finally:
                    try:
                        browser.close()
                    except Exception:  # killed on its deadline: nothing left to close
                        pass
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=session, name="cda-browser", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        _kill_marked(marker)
        thread.join(15)
        raise BrowserTimeout(f"the browser was still busy after {timeout_s:.0f} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _kill_marked(marker: str) -> None:
    """SIGKILL the browser whose command line holds `marker` (its renderers die with it)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            continue


def _node(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "target": node.get("target", []),
        "html": node.get("html", ""),
        "failureSummary": node.get("failureSummary", ""),
    }


def axe_audit(
    page: "Page",
    context: str | list | dict | None = None,
    options: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core on the page; return its violations (empty list: no violation found).

    Each violation: {id, impact, tags, description, help, helpUrl, nodes: [{target, html, failureSummary}]}.
    `context` and `options` are axe.run's (e.g. options={"runOnly": ["wcag2a", "wcag2aa"]}).
    """
    from axe_playwright_python.sync_playwright import Axe

    run_options = {"resultTypes": ["violations"], **(options or {})}
    response = Axe().run(page, context=context, options=run_options).response
    return [
        {
            "id": violation.get("id"),
            "impact": violation.get("impact"),
            "tags": violation.get("tags", []),
            "description": violation.get("description", ""),
            "help": violation.get("help", ""),
            "helpUrl": violation.get("helpUrl", ""),
            "nodes": [_node(node) for node in violation.get("nodes", [])],
        }
        for violation in response.get("violations", [])
    ]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """Readable multi-line text of axe violations (for logs and test failures)."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"  - {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            for summary in (node.get("failureSummary") or "").splitlines():
                lines.append(f"      {summary}")
    return "\n".join(lines)


def axe_start(page: "Page", options: dict[str, Any] | None = None, inject: bool = True) -> None:
    """Start axe-core on the page and return at once: several pages can then be audited side by side.

    Collect with `axe_collect(page)`. Runs every default rule unless `options` say otherwise.
    `inject=False` when axe may already be in the page (e.g. `context.add_init_script(path=AXE_FILE_PATH)`,
    which compiles it while the page loads); it is injected anyway when missing.
    """
    import json

    from axe_playwright_python.base import AXE_SCRIPT

    if inject:
        page.evaluate(AXE_SCRIPT)
    run_options = json.dumps({"resultTypes": ["violations"], **(options or {})})
    started = page.evaluate(
        "() => { if (typeof window.axe !== 'object') return false;"
        f" window.__cdaAxeRun = new Promise((done, fail) => setTimeout(() => axe.run(document, {run_options}).then(done, fail), 0));"
        " return true; }")
    if not started:
        axe_start(page, options, inject=True)


def axe_collect(page: "Page") -> dict[str, Any]:
    """Wait for the run started by `axe_start`: {violations, incomplete, passes, inapplicable, rules}.

    `violations` and `incomplete` are shaped like `axe_audit`'s result; `passes` and `inapplicable`
    are lists of rule ids; `rules` maps every rule id that ran to its tags. The result is trimmed
    inside the page: only this crosses the wire.
    """
    import json

    return json.loads(page.evaluate(
        """async () => {
          const r = await window.__cdaAxeRun;
          const node = (n) => ({target: n.target || [], html: n.html || '', failureSummary: n.failureSummary || ''});
          const shaped = (items) => items.map((v) => ({id: v.id, impact: v.impact, tags: v.tags || [],
            description: v.description || '', help: v.help || '', helpUrl: v.helpUrl || '', nodes: (v.nodes || []).map(node)}));
          const rules = {};
          for (const kind of ['violations', 'incomplete', 'passes', 'inapplicable']) for (const v of r[kind] || []) rules[v.id] = v.tags || [];
          return JSON.stringify({violations: shaped(r.violations || []), incomplete: shaped(r.incomplete || []),
                  passes: (r.passes || []).map((v) => v.id), inapplicable: (r.inapplicable || []).map((v) => v.id), rules});
        }"""))
