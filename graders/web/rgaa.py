"""RGAA 4.1.2: the official criteria, axe-core rules mapped to RGAA tests, and the coverage table.

axe-core (4.11+) tags its rules with RGAA tests (`RGAA-11.1.1`). Two upstream mapping errors are
corrected here whatever the bundled axe version says (`aria-hidden-*` is 10.8.1, `valid-lang`
is 8.8.1), and the rules axe leaves untagged get the test they belong to when that is clear.
Our own automatic checks (doctype, page title, keyboard, focus, skip link) add their tests.
"""

from __future__ import annotations

import gettext
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graders.i18n import N_
from graders.web.rgaa_dom import DOM_CHECKS, PRACTICES, SETTLES, APPLIES
from graders.web.rgaa_fixes import FIXES

DATA = Path(__file__).parent / "data" / "rgaa_criteres.json"
RGAA_TAG = re.compile(r"^RGAA-(\d+\.\d+\.\d+)$")
WCAG_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")


@dataclass(frozen=True)
class Criterion:
    id: str
    theme: int
    title: str
    tests: int
    wcag: tuple[str, ...]
    title_en: str = ""  # this project's translation (the official text is French)


@lru_cache(maxsize=1)
def referential() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def criteria() -> dict[str, Criterion]:
    return {
        c["id"]: Criterion(c["id"], c["theme"], c["title"], c["tests"], tuple(c["wcag"]), c.get("title_en", ""))
        for c in referential()["criteria"]
    }


def themes() -> list[dict]:
    return referential()["themes"]


def criterion_of(test: str) -> str:
    return ".".join(test.split(".")[:2])


# --- axe rules -> RGAA tests -------------------------------------------------------------------

# Known upstream mapping errors, fixed whatever the bundled axe says.
CORRECTIONS: dict[str, tuple[str, ...]] = {
    "aria-hidden-body": ("10.8.1",),
    "aria-hidden-focus": ("10.8.1",),
    "valid-lang": ("8.8.1",),
}
# Rules axe does not tag with RGAA, mapped by this project (documented in docs/web-audits.md).
UNTAGGED: dict[str, tuple[str, ...]] = {
    "aria-allowed-role": ("7.1.1",),
    "aria-braille-equivalent": ("7.1.1",),
    "aria-dialog-name": ("7.1.1",),
    "aria-text": ("7.1.1",),
    "aria-tooltip-name": ("7.1.1",),
    "aria-treeitem-name": ("7.1.1",),
    "summary-name": ("7.1.1",),
    "avoid-inline-spacing": ("10.12.1",),
    "duplicate-id": ("8.2.1",),
    "duplicate-id-active": ("8.2.1",),
    "empty-heading": ("9.1.2",),
    "heading-order": ("9.1.1",),
    "page-has-heading-one": ("9.1.1",),
    "empty-table-header": ("5.6.1",),
    "scope-attr-valid": ("5.7.2",),
    "image-redundant-alt": ("1.3.1",),
    "label-title-only": ("11.1.3",),
    "tabindex": ("12.8.1",),
    "meta-viewport-large": ("10.4.2",),
    "presentation-role-conflict": ("1.2.1",),
    "landmark-banner-is-top-level": ("9.2.1",),
    "landmark-complementary-is-top-level": ("9.2.1",),
    "landmark-contentinfo-is-top-level": ("9.2.1",),
    "landmark-main-is-top-level": ("9.2.1",),
    "landmark-no-duplicate-banner": ("9.2.1",),
    "landmark-no-duplicate-contentinfo": ("9.2.1",),
    "landmark-no-duplicate-main": ("9.2.1",),
    "landmark-one-main": ("9.2.1",),
    "landmark-unique": ("9.2.1",),
}


def rgaa_tests(rule_id: str, tags: list[str]) -> tuple[str, ...]:
    """The RGAA tests an axe rule checks: corrected tags, else its own tags, else our mapping."""
    if rule_id in CORRECTIONS:
        return CORRECTIONS[rule_id]
    tagged = tuple(m.group(1) for t in tags if (m := RGAA_TAG.match(t)))
    return tagged or UNTAGGED.get(rule_id, ())


def wcag_refs(tags: list[str]) -> list[str]:
    """`wcag143` -> `WCAG 1.4.3` (level tags such as wcag2aa are skipped)."""
    refs = []
    for tag in tags:
        match = WCAG_TAG.match(tag)
        if match and not tag.endswith(("2a", "2aa", "2aaa", "21a", "21aa", "22aa")):
            refs.append(f"WCAG {match.group(1)}.{match.group(2)}.{match.group(3)}")
    return refs


# Our own automatic checks: (rule, RGAA tests, severity, message msgid, fix msgid, WCAG refs).
OWN_CHECKS: dict[str, tuple[tuple[str, ...], str, str, str, tuple[str, ...]]] = {
    "doctype-missing": (("8.1.1",), "high", N_("The page has no document type (doctype)."),
                        N_("Start the page with <!DOCTYPE html>, before the <html> tag."), ("WCAG 4.1.1",)),
    "doctype-invalid": (("8.1.2",), "medium", N_("The document type is not valid: the browser renders the page in quirks mode."),
                        N_("Start the page with <!DOCTYPE html>, before the <html> tag."), ("WCAG 4.1.1",)),
    "doctype-position": (("8.1.3",), "medium", N_("The document type is not placed before the <html> tag."),
                         N_("Put <!DOCTYPE html> first in the source, before the <html> tag."), ("WCAG 4.1.1",)),
    "title-missing": (("8.5.1",), "high", N_("The page has no title (<title> missing or empty)."),
                      N_("Give the page a <title> that says what the page is about."), ("WCAG 2.4.2",)),
    "title-generic": (("8.6.1",), "low", N_("The page title is a placeholder and says nothing about the page."),
                      N_("Write a title that identifies the page, e.g. « Inscription — Médiathèque »."), ("WCAG 2.4.2",)),
    "pointer-only": (("7.3.1",), "high", N_("An element reacts to the mouse but cannot be reached with the keyboard."),
                     N_("Use a real <button> or <a href> (or add tabindex=\"0\", a role and Enter/Space key handling)."),
                     ("WCAG 2.1.1",)),
    "focus-invisible": (("10.7.1",), "high", N_("Keyboard focus is not visible on this element."),
                        N_("Do not remove the focus outline (outline: none) without a visible replacement: style :focus-visible."),
                        ("WCAG 2.4.7",)),
    "focus-hidden": (("10.7.1",), "medium", N_("The element receives keyboard focus while staying invisible."),
                     N_("Show the element when it has focus (e.g. a skip link that appears on :focus) or take it out of the tab order."),
                     ("WCAG 2.4.7",)),
    "placeholder-only": (("11.1.1",), "high", N_("The field's only label is its placeholder, which disappears as soon as one types."),
                         N_("Give the field a visible <label for=\"id\"> (the placeholder may stay as an example)."),
                         ("WCAG 3.3.2",)),
    "keyboard-trap": (("12.9.1",), "critical", N_("Keyboard trap: the Tab key cannot move the focus out of this element."),
                      N_("Let Tab and Shift+Tab leave the element: do not cancel the Tab key or force the focus back."),
                      ("WCAG 2.1.2",)),
    "skip-link-missing": (("12.7.1",), "medium", N_("No skip link to the main content, although links come before it."),
                          N_("Add as first link of the page <a href=\"#main\">Aller au contenu</a>, visible at least on focus, and id=\"main\" on <main>."),
                          ("WCAG 2.4.1",)),
    "skip-link-broken": (("12.7.2",), "medium", N_("The skip link does not lead to the main content."),
                         N_("Make the skip link's href point to the id of the main content (e.g. href=\"#main\" and <main id=\"main\">)."),
                         ("WCAG 2.4.1",)),
}

OWN_CHECKS.update(DOM_CHECKS)
# axe rules whose impact overstates a matter with no RGAA test (WCAG 2.2 / best practice).
SEVERITY = {"target-size": "low"}

GENERIC_TITLES = {"document", "untitled", "untitled document", "sans titre", "new page", "nouvelle page", "page",
                  "index", "index.html", "title", "titre", "react app", "vite app", "my app", "home page"}

# Coverage statuses, from worst to best (heatmap and table).
STATUSES = ("failed", "review", "passed", "untested", "manual")
STATUS_LABELS = {
    "failed": N_("not met"),
    "review": N_("to review (automatic test undecided)"),
    "passed": N_("automatic tests passed"),
    "untested": N_("nothing to test automatically"),
    "manual": N_("human check only"),
}


def automatic_tests() -> dict[str, set[str]]:
    """Criterion -> the automatic checks (axe rules or ours) that can decide one of its tests."""
    covered: dict[str, set[str]] = {}
    for rule, tests in list(CORRECTIONS.items()) + list(UNTAGGED.items()):
        for test in tests:
            covered.setdefault(criterion_of(test), set()).add(rule)
    for rule, (tests, *_rest) in OWN_CHECKS.items():
        for test in tests:
            covered.setdefault(criterion_of(test), set()).add(rule)
    return covered


def coverage(page_runs: list[dict], known_rules: dict[str, list[str]]) -> dict[str, dict]:
    """Status of every criterion over the audited pages.

    `page_runs`: one dict per page with `violations`, `passes`, `incomplete` (axe rule ids) and
    `own_failed` / `own_passed` (our checks). `known_rules`: every axe rule id -> its tags.
    """
    covered: dict[str, set[str]] = {cid: set() for cid in criteria()}
    for rule, tags in known_rules.items():
        for test in rgaa_tests(rule, tags):
            covered.setdefault(criterion_of(test), set()).add(rule)
    for rule, (tests, *_rest) in OWN_CHECKS.items():
        for test in tests:
            covered[criterion_of(test)].add(rule)
    table: dict[str, dict] = {}
    for cid in criteria():
        rules = covered.get(cid, set())
        failed = {r for run in page_runs for r in run["violations"] + run["own_failed"] if r in rules}
        passed = {r for run in page_runs for r in run["passes"] + run["own_passed"] if r in rules}
        review = {r for run in page_runs for r in run["incomplete"] if r in rules}
        if not rules:
            status = "manual"
        elif failed:
            status = "failed"
        elif review:
            status = "review"
        elif passed:
            status = "passed"
        else:
            status = "untested"
        table[cid] = {"status": status, "rules": sorted(rules), "failed": sorted(failed), "passed": sorted(passed),
                      "review": sorted(review)}
    return table


# --- page analysis -------------------------------------------------------------------------------

IMPACT = {"minor": "low", "moderate": "medium", "serious": "high", "critical": "critical"}
MAX_NODES = 10
NO_FOCUS_RING = {"iframe", "audio", "video", "object", "embed"}


def _test_refs(tests: tuple[str, ...]) -> list[str]:
    return [f"RGAA {t}" for t in tests]


def lang_of(_) -> str:
    """The language of a gettext function (`gettext_for(lang)`): its catalogue's, English without one."""
    catalogue = getattr(_, "__self__", None)
    if isinstance(catalogue, gettext.GNUTranslations):
        return (catalogue.info().get("language") or "fr").split("_")[0]
    return "en"


def criterion_title(crit: Criterion, lang: str) -> str:
    return crit.title_en if lang == "en" and crit.title_en else crit.title


def _criterion_message(tests: tuple[str, ...], _) -> str:
    crit = criteria().get(criterion_of(tests[0]))
    title = criterion_title(crit, lang_of(_)) if crit else ""
    return _("RGAA criterion {criterion} (test {test}) not met: « {title} »").format(
        criterion=criterion_of(tests[0]), test=", ".join(tests), title=title)


def axe_issues(page_url: str, axe: dict, _) -> list:
    from graders.web.issues import Issue

    issues = []
    for violation in axe.get("violations", []):
        rule = violation["id"]
        tests = rgaa_tests(rule, violation.get("tags", []))
        crit = criteria().get(criterion_of(tests[0])) if tests else None
        wcag = list(crit.wcag) if crit else wcag_refs(violation.get("tags", []))
        if tests:
            message = _criterion_message(tests, _) + "\n" + _("axe-core: {help}").format(help=violation.get("help", ""))
        else:
            message = _("Accessibility rule not mapped to an RGAA criterion (axe-core best practice): {help}").format(
                help=violation.get("help", ""))
        fix = _(FIXES[rule]) if rule in FIXES else violation.get("help", "")
        references = _test_refs(tests) + [f"WCAG 2.1 {w}" for w in wcag] + [f"axe-core {rule}"]
        if violation.get("helpUrl"):
            references.append(violation["helpUrl"].split("?")[0])
        for node in violation.get("nodes", [])[:MAX_NODES]:
            target = ", ".join(" ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", []))
            issues.append(Issue(family="rgaa", rule=f"rgaa-{tests[0]}/{rule}" if tests else f"axe/{rule}",
                                severity=SEVERITY.get(rule) or IMPACT.get(violation.get("impact") or "", "medium"), message=message,
                                help=fix, references=references, page=page_url, element=target,
                                snippet=(node.get("html") or "")[:300], test=tests[0] if tests else None))
    return issues


def own_issue(check: str, page_url: str, _, element: str | None = None, snippet: str | None = None,
              detail: str | None = None):
    from graders.web.issues import Issue

    tests, severity, message, fix, wcag = OWN_CHECKS[check]
    text = _criterion_message(tests, _) + "\n" + _(message)
    if detail:
        text += " " + detail
    crit = criteria()[criterion_of(tests[0])]
    references = _test_refs(tests) + [f"WCAG 2.1 {w}" for w in crit.wcag]
    return Issue(family="rgaa", rule=f"rgaa-{tests[0]}/{check}", severity=severity, message=text, help=_(fix),
                 references=references, page=page_url, element=element, snippet=snippet, test=tests[0])


def practice_issue(check: str, message: str, fix: str, refs: tuple[str, ...], url: str, item: dict, _):
    from graders.web.issues import Issue

    text = _("Accessibility best practice (no RGAA 4.1.2 test): {message}").format(message=_(message))
    if item.get("detail"):
        text += " " + item["detail"]
    return Issue(family="rgaa", rule=f"a11y-practice/{check}", severity="low", message=text, help=_(fix),
                 references=list(refs), page=url, element=item["selector"], snippet=item["html"])


def page_issues(page, _, raw_html: str | None = None) -> tuple[list, set[str], set[str]]:
    """RGAA issues of one page: axe's plus our own checks. Returns (issues, own_failed, own_passed)."""
    issues = axe_issues(page.url, page.axe, _)
    failed: set[str] = set()
    passed: set[str] = set()
    axe_ids = {v["id"] for v in page.axe.get("violations", [])}
    facts = page.facts
    url = page.url

    def fail(check: str, **kwargs) -> None:
        failed.add(check)
        issues.append(own_issue(check, url, _, **kwargs))

    # 8.1 doctype
    doctype = facts.get("doctype")
    if doctype is None:
        source = (raw_html or "").lstrip().lower()
        if "<!doctype" in source and not source.startswith("<!doctype"):
            fail("doctype-position")
        else:
            fail("doctype-missing")
    elif doctype.get("name", "").lower() != "html" or facts.get("compatMode") == "BackCompat":
        fail("doctype-invalid", detail=f"<!DOCTYPE {doctype.get('name', '')} {doctype.get('publicId', '')}>".strip())
    else:
        passed.update({"doctype-missing", "doctype-invalid", "doctype-position"})

    # 8.5 / 8.6 page title
    title = (facts.get("title") or "").strip()
    if not title:
        failed.add("title-missing")
        if "document-title" not in axe_ids:
            issues.append(own_issue("title-missing", url, _))
    else:
        passed.add("title-missing")
        if title.lower() in GENERIC_TITLES:
            fail("title-generic", detail=f"« {title} »")
        else:
            passed.add("title-generic")

    # 7.3 pointer-only controls
    pointer_only = facts.get("pointerOnly") or []
    for item in pointer_only[:MAX_NODES]:
        fail("pointer-only", element=item["selector"], snippet=item["html"])
    if not pointer_only:
        passed.add("pointer-only")

    # 11.1 placeholder used as the only label
    placeholder_only = facts.get("placeholderOnly") or []
    for item in placeholder_only[:MAX_NODES]:
        fail("placeholder-only", element=item["selector"], snippet=item["html"])
    if not placeholder_only:
        passed.add("placeholder-only")

    # 10.7 visible focus, 12.9 traps
    focus = page.focus or {}
    seen: dict[int, dict] = {}
    for entry in focus.get("log", []):
        if entry.get("id", -1) >= 0:
            seen[entry["id"]] = entry
    focused = [e for e in seen.values() if e.get("focused") and e.get("tag") not in NO_FOCUS_RING]
    invisible = [e for e in focused if e.get("changed") is False and e.get("onScreen")]
    hidden = [e for e in focused if not e.get("onScreen")]
    for entry in invisible[:MAX_NODES]:
        fail("focus-invisible", element=entry["selector"], snippet=entry["html"])
    for entry in hidden[:MAX_NODES]:
        fail("focus-hidden", element=entry["selector"], snippet=entry["html"])
    if seen and not invisible and not hidden:
        passed.update({"focus-invisible", "focus-hidden"})
    for trap in focus.get("traps", [])[:MAX_NODES]:
        fail("keyboard-trap", element=trap["selector"], snippet=trap["html"])
    if focus.get("stops") and not focus.get("traps"):
        passed.add("keyboard-trap")

    # Tests decided by DOM queries (graders/web/rgaa_dom.py)
    dom = facts.get("dom") or {}
    counts = dom.get("counts") or {}
    settled_by = {check: rule for rule, check in SETTLES.items()}
    for check in DOM_CHECKS:
        found = dom.get(check) or []
        if check in settled_by and settled_by[check] in axe_ids:
            continue  # axe already reported it
        for item in found[:MAX_NODES]:
            fail(check, element=item["selector"], snippet=item["html"], detail=item.get("detail") or None)
        if not found and counts.get(APPLIES.get(check, ""), 1):
            passed.add(check)
    for rule, check in SETTLES.items():  # an axe "incomplete" this page's DOM settles
        if rule not in axe_ids and counts.get(APPLIES.get(check, ""), 1):
            (failed if check in failed else passed).add(rule)
    for check, (message, fix, refs) in PRACTICES.items():
        for item in (dom.get(check) or [])[:MAX_NODES]:
            issues.append(practice_issue(check, message, fix, refs, url, item, _))

    # 12.7 skip link, when links come before the main content
    skip = facts.get("skip") or {}
    if skip.get("beforeMain", 0) >= 3:
        candidates = skip.get("candidates", [])
        if any(c["targetExists"] and c["reachesMain"] for c in candidates):
            passed.update({"skip-link-missing", "skip-link-broken"})
        elif any(c["looksLikeSkip"] for c in candidates):
            bad = next(c for c in candidates if c["looksLikeSkip"])
            failed.add("skip-link-broken")
            if "skip-link" not in axe_ids:
                issues.append(own_issue("skip-link-broken", url, _, element=bad["selector"], snippet=bad["html"]))
        else:
            failed.add("skip-link-missing")
            if "bypass" not in axe_ids:
                detail = _("{count} focusable elements precede the main content.").format(count=skip["beforeMain"])
                issues.append(own_issue("skip-link-missing", url, _, detail=detail))
    return issues, failed, passed
