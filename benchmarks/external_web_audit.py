"""Web audit measured on an outside corpus: the GDS accessibility tool audit (one defect per page).

The corpus is alphagov/accessibility-tool-audit (not shipped with the project): its `tests.json`
holds each test's HTML snippet and what ten tools found, `tests.css` the styles the snippets use,
and `example-pages/` the whole pages some tests link to. Each snippet is wrapped in one neutral,
valid page (lang, title, h1, main landmark, the corpus stylesheet); the wrapper alone is audited
too and must give no accessibility finding. A test whose snippet only links to an example page is
that example page.

Detection, as in the GDS study: a page counts as detected when the audit reports an accessibility
(RGAA) rule on it that the clean wrapper does not produce, and that rule is relevant to the
defect. Every page holds one defect, so a new rule is taken as relevant unless it is listed in
`UNRELATED` (rules the snippet triggers for another reason, reviewed by hand; `--verbose` prints
every page's new rules to review them). Bare axe-core is measured on the same pages with its default
rules (the audit's own axe run minus the rules the audit turns on). The ten tools' published
results come from tests.json: a tool found a defect when it reported an error or a warning.

    python benchmarks/external_web_audit.py [--corpus DIR] [--verbose]

DIR (or env CDA_EXTERNAL_CORPORA) holds `alphagov-accessibility-tool-audit/`. Without it the
benchmark says so and exits 0. Exits 1 when the wrapper gets a finding (the measure is void).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from _external import corpus_args, find_corpus, skipped  # noqa: E402

NAME = "alphagov-accessibility-tool-audit"
TOOLS = ["google", "asqatasun", "tenon", "wave", "sortsite", "axe", "codesniffer", "achecker", "eiii", "nu"]
FOUND = {"error", "warning"}
# Axe rules the audit enables on top of axe-core's defaults (not part of "bare axe").
NON_DEFAULT_AXE = {"target-size"}
# (test name, rule) pairs where the rule is triggered by the snippet for a reason other than its defect.
# Reviewed on the run of 2026-12-06 (see docs/web-audits.md).
_H = "rgaa-9.1.1/heading-order"  # the snippet's own <h4> after the wrapper's <h1>
_NOWHERE = "rgaa-7.1.1/link-no-destination"  # the snippet's demo links use href="#"
_PAGE = {"rgaa-9.1.1/page-has-heading-one", "rgaa-9.2.1/landmark-one-main", "rgaa-9.2.1/region"}  # example pages' layout
UNRELATED: set[tuple[str, str]] = {
    ("Content is not in correct reading order in source code", _H),
    ("Uninformative link text", _H),
    ("Group of check boxes not enclosed in a fieldset", _H),
    ("Group of radio buttons not enclosed in a fieldset", _H),
    *{(name, _NOWHERE) for name in (
        "Focus not visible", "Identifying links by colour alone", "Focus order in wrong order",
        "Lightbox - close button doesn't receive focus", "Lightbox - ESC key doesn't close the lightbox",
        "Lightbox - focus is not moved immediately to lightbox", "Lightbox - focus is not retained within the lightbox")},
    *{(name, rule) for name in ("Inappropriate page title", "html element has lang attribute set to wrong language",
                                "Keyboard trap") for rule in _PAGE},
    ("Flashing content doesn't have warning", "rgaa-10.1.2/presentational-attribute"),  # frameborder on the iframe
    ("Table with some empty cells", "rgaa-5.7.4/header-cell-unscoped"),
    ("Table with inconsistent numbers of columns in rows", "rgaa-5.7.4/header-cell-unscoped"),
}
# The same review for bare axe's rules.
UNRELATED_AXE: set[tuple[str, str]] = {(name, rule.split("/")[-1]) for name, rule in UNRELATED}

WRAPPER = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title><link rel="stylesheet" href="/tests.css"></head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""


def load_tests(folder: Path) -> list[dict]:
    data = json.loads((folder / "tests.json").read_text(encoding="utf-8"))
    return [{"category": category, "name": name, "example": test["example"], "results": test["results"]}
            for category, tests in data.items() for name, test in tests.items()]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def build_site(folder: Path, tests: list[dict], site: Path) -> dict[str, str]:
    """Write one page per test into `site`; return test name -> page path (relative)."""
    shutil.copy(folder / "tests.css", site / "tests.css")
    if (folder / "example-pages").is_dir():
        shutil.copytree(folder / "example-pages", site / "example-pages")
    (site / "pages").mkdir()
    (site / "pages" / "wrapper.html").write_text(
        WRAPPER.format(title="Test case: clean wrapper", body="<p>This page holds no test case.</p>"), encoding="utf-8")
    paths = {}
    for test in tests:
        linked = re.fullmatch(r'\s*(?:<p>)?<a href="(example-pages/[^"]+)">[^<]*</a>(?:</p>)?\s*', test["example"])
        if linked and (site / linked.group(1)).is_file():
            paths[test["name"]] = linked.group(1)
            continue
        page = f"pages/{slug(test['category'])}--{slug(test['name'])}.html"
        title = html.escape(f"Test case: {test['name']}")
        (site / page).write_text(WRAPPER.format(title=title, body=test["example"]), encoding="utf-8")
        paths[test["name"]] = page
    return paths


def audit_pages(urls: list[str]) -> dict[str, dict[str, set[str]]]:
    """url -> {"audit": RGAA rules reported, "axe": bare axe violation ids}."""
    from graders.browser import with_browser
    from graders.i18n import gettext_for
    from graders.web.audit import AuditOptions, run_audit

    options = AuditOptions(families=("rgaa",), notices=False, headers=False, error_probes=False, consent=False)
    report = with_browser(lambda browser: run_audit(browser, urls, options, gettext_for("en")))
    seen: dict[str, dict[str, set[str]]] = {url: {"audit": set(), "axe": set()} for url in urls}
    for issue in report.issues.get("rgaa", []):
        if issue.page in seen:
            seen[issue.page]["audit"].add(issue.rule)
    for page in report.pages:
        seen[page.url]["axe"] = {v["id"] for v in page.axe.get("violations", [])} - NON_DEFAULT_AXE
    return seen


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / total:.1f} %"


def main() -> int:
    args = corpus_args(__doc__.splitlines()[0], lambda p: p.add_argument(
        "--verbose", action="store_true", help="print each page's new rules"))
    folder = find_corpus(args.corpus, NAME, lambda f: (f / "tests.json").is_file())
    if folder is None:
        return skipped(NAME, "docs/web-audits.md")
    from graders.web.serve import StaticServer

    tests = load_tests(folder)
    site = Path(tempfile.mkdtemp(prefix="cda-bench-gds-"))
    try:
        paths = build_site(folder, tests, site)
        with StaticServer(site) as server:
            wrapper_url = server.url("pages/wrapper.html")
            urls = sorted({server.url(p) for p in paths.values()} | {wrapper_url})
            seen = audit_pages(urls)
            by_test = {t["name"]: seen[server.url(paths[t["name"]])] for t in tests}
            base = seen[wrapper_url]
    finally:
        shutil.rmtree(site, ignore_errors=True)
    if base["audit"] or base["axe"]:
        print(f"the clean wrapper gets findings, the measure is void: audit {sorted(base['audit'])}, axe {sorted(base['axe'])}")
        return 1
    ours = axe = 0
    for test in tests:
        found = by_test[test["name"]]
        new = {r for r in found["audit"] - base["audit"] if (test["name"], r) not in UNRELATED}
        new_axe = {r for r in found["axe"] - base["axe"] if (test["name"], r) not in UNRELATED_AXE}
        ours += bool(new)
        axe += bool(new_axe)
        if args.verbose:
            mark = "+" if new else "-"
            print(f"{mark} [{test['category']}] {test['name']}: audit {sorted(new)} | bare axe {sorted(new_axe)}")
    total = len(tests)
    print(f"corpus: {NAME} ({total} one-defect pages); clean wrapper: no finding")
    print(f"cda audit (RGAA rules): {rate(ours, total)}")
    print(f"bare axe-core (default rules, same pages): {rate(axe, total)}")
    published = {tool: sum(t["results"].get(tool) in FOUND for t in tests) for tool in TOOLS}
    for tool, hits in sorted(published.items(), key=lambda item: -item[1]):
        print(f"  published {tool}: {rate(hits, total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
