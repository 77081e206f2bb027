"""EcoIndex (public reference formula and quantiles) and the RGESN criteria it informs.

EcoIndex = 100 - 5 × (3·q_dom + 2·q_req + q_size) / 6, where each q is the position of the
measured value among the published quantiles of the HTTP Archive (DOM elements without SVG
children, HTTP requests, transferred kilobytes). Grades: A > 80, B > 70, C > 55, D > 40, E > 25,
F > 10, else G. The quantile tables are facts from the reference implementation (cnumr/ecoindex).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graders.web.issues import Issue

if TYPE_CHECKING:
    from graders.web.collect import PageData

QUANTILES_DOM = (0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601)
QUANTILES_REQ = (0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920)
QUANTILES_SIZE = (0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27, 1876.08,
                  2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26)
GRADES = (("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10))
GRADE_ORDER = "ABCDEFG"

# RGESN 2024 criteria that EcoIndex measurements inform (numbers to check against the ARCEP text).
RGESN_WEIGHT = "RGESN 6.1"  # poids maximum et limite de requêtes par écran
RGESN_IMAGES = "RGESN 6.4"  # images aux dimensions du contexte d'affichage
RGESN_UNUSED = "RGESN 6.5"  # pas de ressources inutilisées


def quantile_position(value: float, quantiles: tuple) -> float:
    for index in range(1, len(quantiles)):
        if value < quantiles[index]:
            return index - 1 + (value - quantiles[index - 1]) / (quantiles[index] - quantiles[index - 1])
    return len(quantiles) - 1


def score(dom: int, requests: int, size_kb: float) -> float:
    q_dom = quantile_position(dom, QUANTILES_DOM)
    q_req = quantile_position(requests, QUANTILES_REQ)
    q_size = quantile_position(size_kb, QUANTILES_SIZE)
    return round(100 - 5 * (3 * q_dom + 2 * q_req + q_size) / 6)


def grade(value: float) -> str:
    for letter, threshold in GRADES:
        if value > threshold:
            return letter
    return "G"


def worse(a: str, b: str) -> bool:
    """True when grade `a` is worse than grade `b`."""
    return GRADE_ORDER.index(a) > GRADE_ORDER.index(b)


def measure(page: "PageData") -> dict:
    dom = int(page.facts.get("domNodes", 0))
    requests = len(page.requests)
    size_kb = round(page.transfer_kb, 2)
    value = score(dom, requests, size_kb)
    # cutoff_s: the page was still loading at the time limit; it is measured as it stood then.
    return {"score": value, "grade": grade(value), "dom_nodes": dom, "requests": requests, "size_kb": size_kb,
            "cutoff_s": page.cutoff_s}


def cutoff_note(eco: dict, _) -> str:
    if not eco.get("cutoff_s"):
        return ""
    return " " + _("The page was still loading after {seconds} s: measured on what had loaded by then.").format(
        seconds=f"{eco['cutoff_s']:g}")


def page_issues(page: "PageData", eco: dict, _, min_grade: str = "C") -> list[Issue]:
    issues = []
    if worse(eco["grade"], min_grade):
        parts = {
            "dom": quantile_position(eco["dom_nodes"], QUANTILES_DOM) * 3,
            "requests": quantile_position(eco["requests"], QUANTILES_REQ) * 2,
            "size": quantile_position(eco["size_kb"], QUANTILES_SIZE),
        }
        heaviest = max(parts, key=parts.get)
        advice = {
            "dom": _("The DOM size weighs most: simplify the markup, paginate long lists, drop wrapper elements."),
            "requests": _("The number of requests weighs most: bundle scripts and styles, remove unneeded third-party calls and fonts."),
            "size": _("The transferred weight weighs most: compress and resize images, minify and compress text, lazy-load below the fold."),
        }[heaviest]
        issues.append(Issue(
            family="eco", rule="eco-ecoindex-grade", severity="medium" if GRADE_ORDER.index(eco["grade"]) < 5 else "high",
            page=page.url,
            message=_("EcoIndex {score}/100, grade {grade} (target: {target} or better): {dom} DOM elements, {requests} requests, {size} KB.").format(
                score=eco["score"], grade=eco["grade"], target=min_grade, dom=eco["dom_nodes"], requests=eco["requests"],
                size=round(eco["size_kb"])) + cutoff_note(eco, _),
            help=advice, references=[RGESN_WEIGHT, RGESN_UNUSED, "EcoIndex (GreenIT.fr)"]))
    for image in (page.facts.get("images") or [])[:5]:
        issues.append(Issue(
            family="eco", rule="eco-oversized-image", severity="low", page=page.url, element=image["selector"],
            message=_("Image of {natural} pixels shown at {shown}: most of its weight is downloaded for nothing.").format(
                natural="×".join(map(str, image["natural"])), shown="×".join(map(str, image["shown"]))),
            snippet=image["src"][:200],
            help=_("Serve images at the size they are shown (srcset/sizes for screens that need more)."),
            references=[RGESN_IMAGES]))
    return issues
