"""Driving the browser: load pages side by side, run axe and the probes, record requests and cookies.

One `Browser` serves every page; each page gets a fresh context of its own. Pages are audited in
small batches whose slow parts (loading, axe-core) run in parallel renderer processes while Python
waits on the first of them; the sync Playwright API stays usable (the test suite shares one sync
browser).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from graders.browser import axe_collect, axe_start
from graders.web import probes, rgaa_dom

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

VIEWPORT = {"width": 1280, "height": 800}
# Every default axe rule, plus target-size (WCAG 2.2 2.5.8), off by default.
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}}
MAX_FOCUS_STOPS = 150
TRAP_SAMPLES = 12
CONTAINER_PRESSES = 12  # more than the inner controls of a media element


@dataclass
class Request:
    url: str
    type: str
    bytes: int = 0
    status: int | None = None
    failed: bool = False
    blocked: bool = False


@dataclass
class PageData:
    """Everything observed on one page, loaded in a fresh context without any consent given."""

    url: str
    final_url: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    cookies: list[dict] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    axe: dict[str, Any] = field(default_factory=dict)
    focus: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    cutoff_s: float | None = None  # set when the page had not finished loading at the time limit
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def transfer_kb(self) -> float:
        return sum(r.bytes for r in self.requests) / 1024


@dataclass
class AuditSettings:
    """How contexts are made. `allowed_origins`: when set, requests elsewhere are blocked (recorded)."""

    timeout_ms: float = 20_000
    allowed_origins: tuple[str, ...] | None = None
    storage_state: dict | None = None
    batch: int = 4
    locale: str = "fr-FR"
    on_page: Callable[[str], None] | None = None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Recorder:
    """Network events of one page through its own CDP session: sizes the way EcoIndex counts them."""

    def __init__(self, context: "BrowserContext", page: "Page"):
        self.reset()
        self.cdp = context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.on("Network.responseReceivedExtraInfo", self._extra)
        self.cdp.send("Network.enable")

    def reset(self) -> None:
        self.requests, self.set_cookies, self.inflight = {}, [], set()
        self.raw_headers, self.document_id = {}, None
        self.last_activity = time.monotonic()

    def document_headers(self) -> dict[str, str]:
        """Raw response headers of the top-level document (multiple values joined by newlines)."""
        return {k.lower(): v for k, v in self.raw_headers.get(self.document_id, {}).items()}

    def _sent(self, event: dict) -> None:
        url = event["request"]["url"]
        if url.startswith(("data:", "blob:", "about:", "chrome")):
            return
        rid = event["requestId"]
        if rid in self.requests:  # a redirect reuses the id: count the hop as its own request
            self.requests[f"{rid}#{len(self.requests)}"] = self.requests.pop(rid)
        self.requests[rid] = Request(url=url, type=event.get("type", "Other"))
        if self.document_id is None and event.get("type") == "Document" and rid == event.get("loaderId"):
            self.document_id = rid
        self.inflight.add(rid)
        self.last_activity = time.monotonic()

    def _response(self, event: dict) -> None:
        request = self.requests.get(event["requestId"])
        if request:
            request.status = event["response"].get("status")

    def _finished(self, event: dict) -> None:
        request = self.requests.get(event["requestId"])
        if request:
            request.bytes = int(event.get("encodedDataLength", 0))
        self.inflight.discard(event["requestId"])
        self.last_activity = time.monotonic()

    def _failed(self, event: dict) -> None:
        request = self.requests.get(event["requestId"])
        if request:
            request.failed = True
            request.blocked = event.get("errorText") == "net::ERR_FAILED" or bool(event.get("blockedReason"))
        self.inflight.discard(event["requestId"])
        self.last_activity = time.monotonic()

    def _extra(self, event: dict) -> None:
        self.raw_headers[event["requestId"]] = event.get("headers") or {}
        for name, value in (event.get("headers") or {}).items():
            if name.lower() == "set-cookie":
                self.set_cookies.extend(v for v in value.split("\n") if v.strip())

    def quiet(self, quiet_s: float = 0.08) -> bool:
        return not self.inflight and time.monotonic() - self.last_activity >= quiet_s


def new_context(browser: "Browser", settings: AuditSettings, state: dict | None = None) -> "BrowserContext":
    context = browser.new_context(
        viewport=VIEWPORT, locale=settings.locale, ignore_https_errors=True, service_workers="block",
        storage_state=state if state is not None else settings.storage_state,
    )
    context.set_default_timeout(settings.timeout_ms)
    context.add_init_script(probes.INIT_SCRIPT)
    if settings.allowed_origins is not None:
        allowed = tuple(settings.allowed_origins)

        def guard(route) -> None:
            if route.request.url.startswith(allowed) or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                route.abort("blockedbyclient")

        context.route("**/*", guard)
        if hasattr(context, "route_web_socket"):
            context.route_web_socket(lambda url: not url.replace("ws", "http", 1).startswith(allowed),
                                     lambda ws: ws.close())
    return context


def settle(page: "Page", recorder: Recorder, budget_s: float = 2.0) -> None:
    """Wait (bounded) until the network is quiet, after scrolling once for lazy content."""
    try:
        page.evaluate(probes.SCROLL_BOTTOM)
    except Exception:
        pass
    deadline = time.monotonic() + budget_s
    while not recorder.quiet() and time.monotonic() < deadline:
        page.wait_for_timeout(40)


class Lane:
    """One audit slot: each page gets a fresh context and page of its own (same viewport, locale and
    wait rules, no cookie, storage, cache, focus or script state left by another page), so a page
    gets the same verdict alone or in any batch. Slots load side by side; axe-core is an init
    script of every context (compiled while the page loads)."""

    def __init__(self, browser: "Browser", settings: AuditSettings):
        self.browser = browser
        self.settings = settings
        self.context: "BrowserContext | None" = None
        self.page = None
        self.recorder: Recorder | None = None
        self.data: PageData | None = None
        self.response = None
        self.started = 0.0

    def _open(self) -> None:
        from axe_playwright_python.base import AXE_FILE_PATH

        self.context = new_context(self.browser, self.settings)
        self.context.add_init_script(path=str(AXE_FILE_PATH))
        self.page = self.context.new_page()
        self.recorder = Recorder(self.context, self.page)
        self.recorder.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def start(self, url: str) -> None:
        """Open a fresh context and begin loading `url` (returns once the response headers arrived)."""
        self.data = PageData(url=url)
        self.started = time.monotonic()
        self.response = None
        try:
            self._open()
            self.response = self.page.goto(url, wait_until="commit")
        except Exception as exc:
            self.data.error = first_line(exc)

    def loaded(self) -> None:
        data = self.data
        if data.error:
            return
        remaining_ms = max(1.0, self.settings.timeout_ms - (time.monotonic() - self.started) * 1000)
        try:
            self.page.wait_for_load_state("load", timeout=remaining_ms)
        except Exception as exc:
            if self.page.is_closed() or "Timeout" not in type(exc).__name__ + str(exc)[:40]:
                data.error = first_line(exc)
                return
            # A slow page is measured as it stands at the cut-off (as EcoIndex does), never "unavailable".
            data.cutoff_s = round(self.settings.timeout_ms / 1000, 3)
            try:
                self.page.evaluate("() => window.stop()")
            except Exception:
                pass
        data.timings["load_s"] = round(time.monotonic() - self.started, 3)
        if data.cutoff_s is None:
            settle(self.page, self.recorder)
        data.timings["settled_s"] = round(time.monotonic() - self.started, 3)
        data.final_url = self.page.url
        if self.response is not None:
            data.status = self.response.status
            data.headers = self.recorder.document_headers() or {k.lower(): v for k, v in self.response.headers.items()}
        data.facts = json.loads(self.page.evaluate(probes.PAGE_FACTS))
        data.facts["consent"] = sorted({c["kind"] for c in self.page.evaluate(probes.CONSENT_SCAN)})
        data.facts["dom"] = json.loads(self.page.evaluate(rgaa_dom.PROBE))
        data.requests = list(self.recorder.requests.values())  # what EcoIndex counts: loaded by now
        data.timings["facts_s"] = round(time.monotonic() - self.started, 3)
        axe_start(self.page, AXE_OPTIONS, inject=False)
        data.timings["axe_started_s"] = round(time.monotonic() - self.started, 3)

    def finish(self) -> PageData:
        data = self.data
        try:
            if not data.error:
                mark = time.monotonic()
                data.axe = axe_collect(self.page)
                rgaa_dom.keep_small_targets(self.page, data.axe)
                data.timings["axe_wait_s"] = round(time.monotonic() - mark, 3)
                mark = time.monotonic()
                data.focus = keyboard_walk(self.page)
                data.timings["keyboard_s"] = round(time.monotonic() - mark, 3)
            if self.context is not None:
                data.cookies = self.context.cookies()
            data.timings["finished_s"] = round(time.monotonic() - self.started, 3)
        except Exception as exc:  # a page that navigates away or crashes mid-audit
            data.error = data.error or first_line(exc)
        if self.recorder is not None:
            if not data.requests:
                data.requests = list(self.recorder.requests.values())
            data.set_cookies = list(self.recorder.set_cookies)
        data.timings["total_s"] = round(time.monotonic() - self.started, 3)
        self.close()
        return data

    def close(self) -> None:
        try:
            if self.context is not None:
                self.context.close()
        except Exception:
            pass
        self.context = self.page = self.recorder = None


def keyboard_walk(page: "Page") -> dict[str, Any]:
    """Visible focus on every tabbable element (one call), and keyboard traps where scripts could
    make one: there, real Tab presses must move the focus on."""
    result = json.loads(page.evaluate(probes.FOCUS_RUN, [MAX_FOCUS_STOPS, TRAP_SAMPLES]))
    traps = []
    for index in result.get("candidates", []):
        before = page.evaluate(probes.FOCUS_NTH, index)
        if before is not None and trapped(page, index, before.pop("container")):
            traps.append(before)
    if result.get("candidates"):
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return {"stops": result.get("stops", 0), "log": result.get("log", []), "traps": traps}


def trapped(page: "Page", index: int, container: bool) -> bool:
    """True when Tab cannot move the focus away from tabbable element `index` (focused by the caller).

    A container (frame, media element with controls, shadow host) keeps `document.activeElement`
    while Tab walks through its inner controls: there the focus must either leave it within
    CONTAINER_PRESSES presses, or be seen moving inside its frame."""
    frame = None
    if container:
        handle = page.evaluate_handle(probes.TABBABLE_NTH, index).as_element()
        frame = handle.content_frame() if handle is not None else None
    inner = frame_focus(frame)
    for _press in range(CONTAINER_PRESSES if container else 2):
        page.keyboard.press("Tab")
        if not page.evaluate(probes.STILL_FOCUSED, index):
            return False
        now = frame_focus(frame)
        if frame is not None and now is not None and now != inner:
            return False
        inner = now
    return True


def frame_focus(frame) -> str | None:
    if frame is None:
        return None
    try:
        return frame.evaluate(probes.FRAME_FOCUS)
    except Exception:
        return None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def collect_pages(browser: "Browser", urls: list[str], settings: AuditSettings) -> list[PageData]:
    """Audit `urls` with one browser and `settings.batch` lanes loading side by side; input order kept."""
    lanes = [Lane(browser, settings) for _ in range(max(1, min(settings.batch, len(urls))))]
    results: list[PageData] = []
    try:
        for start in range(0, len(urls), len(lanes)):
            active = list(zip(lanes, urls[start:start + len(lanes)]))
            for lane, url in active:
                lane.start(url)
            for lane, _url in active:
                try:
                    lane.loaded()
                except Exception as exc:
                    lane.data.error = lane.data.error or first_line(exc)
            for lane, url in active:
                results.append(lane.finish())
                if settings.on_page:
                    settings.on_page(url)
    finally:
        for lane in lanes:
            lane.close()
    return results
