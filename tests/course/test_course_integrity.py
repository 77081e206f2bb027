"""The course keeps its promises (the conventions of issue 19): no lab announced "à venir" when it
exists, every lab named exists and every lab is named, competence pages follow the common plan with
worked examples that are exact excerpts of code the suite runs, and enough French teaching.

Data-driven over what exists: the content arrives section by section. Two lists name today's pages
still to rewrite; the lead empties them once the content is merged (a test fails when a listed page
is already clean, so that the lists only shrink)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graders.course_site import course_words
from graders.course_site.mapping import fill_mappings, mapping_files
from graders.course_site.words import prose
from graders.labs import discover_labs
from graders.paths import REPO_ROOT
from graders.referentiel import load_referentiel

COURSE = REPO_ROOT / "course"
TESTS = Path(__file__).parent

# Pages that still announce labs "à venir" although those labs exist (none left: keep it so).
PENDING_REWRITE: set[str] = set()
# Theme pages not yet in the seven-section plan of the conventions (none left).
PENDING_STRUCTURE: set[str] = set()
# French words of teaching (`python -m graders.course_site --words`): issue 19 asks for 40,000 at least.
MIN_WORDS = 40_000

NOT_YET = re.compile(r"à venir|bientôt disponible|\(to come\)|coming soon", re.I)
SECTIONS = ["Notions", "Exemple commenté", "Exercices", "Quiz d'auto-évaluation", "Erreurs fréquentes",
            "Ce que le jury demande", "Labs"]
LAB_PATH = re.compile(r"\blabs/([a-z0-9][a-z0-9-]*)")
LAB_LIKE = re.compile(r"`((?:c\d{1,2}|nb|web)-[a-z][a-z0-9-]*)`")
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
TITLE = re.compile(r'title="([^"]*)"')


def pages() -> list[Path]:
    return sorted(COURSE.rglob("*.md"))


def rel(path: Path) -> str:
    return path.relative_to(COURSE).as_posix()


def lab_ids() -> set[str]:
    return {lab.id for lab in discover_labs()}


def structured_pages() -> list[Path]:
    found = sorted((COURSE / "competences").glob("c*.md")) + sorted((COURSE / "transversal").glob("*.md"))
    return [p for p in found if not p.name.endswith(".en.md")]


def titled_blocks(text: str) -> list[tuple[str, list[str], int]]:
    """(title, lines, line number) of each fenced block with a title attribute."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = len(match["indent"]), match["fence"]
        close = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        title = TITLE.search(match["info"])
        if title:
            blocks.append((title.group(1), [line[indent:] for line in lines[i + 1:j]], i + 1))
        i = j + 1
    return blocks


def is_excerpt(block: list[str], source: list[str]) -> bool:
    n = len(block)
    return n > 0 and any(source[k:k + n] == block for k in range(len(source) - n + 1))


def headings(text: str) -> list[str]:
    return [line[3:].strip().replace("’", "'") for line in prose(text).splitlines() if line.startswith("## ")]


# --- "à venir" --------------------------------------------------------------------------------------------

def test_no_lab_is_announced_for_later():
    offending = sorted(rel(p) for p in pages() if NOT_YET.search(p.read_text(encoding="utf-8")) and rel(p) not in PENDING_REWRITE)
    assert offending == [], f"'à venir', 'bientôt disponible' or '(to come)' in {offending}: every lab of labs/ exists"


def test_pending_rewrites_are_still_pending():
    done = sorted(name for name in PENDING_REWRITE
                  if not (COURSE / name).is_file() or not NOT_YET.search((COURSE / name).read_text(encoding="utf-8")))
    assert done == [], f"remove {done} from PENDING_REWRITE: they no longer announce anything for later"


# --- lab names ---------------------------------------------------------------------------------------------

def test_every_lab_named_in_the_course_exists():
    known = lab_ids()
    unknown = {}
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for name in set(LAB_PATH.findall(text)) | set(LAB_LIKE.findall(text)):
            if name not in known:
                unknown.setdefault(rel(page), []).append(name)
    assert unknown == {}, f"labs named in the course but absent from labs/: {unknown}"


def test_every_lab_is_named_in_the_course():
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages())
    missing = sorted(lab for lab in lab_ids() if not re.search(rf"(?<![\w-]){re.escape(lab)}(?![\w-])", text))
    assert missing == [], f"labs that no page of course/ names: {missing}"


# --- competence and theme pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("page", structured_pages(), ids=rel)
def test_page_follows_the_plan_with_a_worked_example(page):
    if rel(page) in PENDING_STRUCTURE:
        pytest.skip("listed in PENDING_STRUCTURE")
    text = page.read_text(encoding="utf-8")
    if page.parent.name == "competences":
        cid = page.stem.upper()
        assert cid in load_referentiel().competences, f"{rel(page)}: no competence {cid}"
        assert text.startswith(f"# {cid} — "), f"{rel(page)}: the first line must be '# {cid} — <title>'"
    found = [h for h in headings(text) if h in SECTIONS]
    assert found == SECTIONS, f"{rel(page)}: sections {found}, expected {SECTIONS} once each, in this order"
    examples = [t for t, _, _ in titled_blocks(text) if t.startswith("course/exemples/")]
    assert examples, f"{rel(page)}: no fenced block titled with a file of course/exemples/"


def test_pending_structures_are_still_pending():
    done = sorted(name for name in PENDING_STRUCTURE if not (COURSE / name).is_file()
                  or [h for h in headings((COURSE / name).read_text(encoding="utf-8")) if h in SECTIONS] == SECTIONS)
    assert done == [], f"remove {done} from PENDING_STRUCTURE: they follow the plan now (or are gone)"


def test_titled_blocks_are_exact_excerpts_of_their_file():
    wrong = []
    for page in pages():
        for title, block, line in titled_blocks(page.read_text(encoding="utf-8")):
            if not title.startswith("course/"):
                continue
            source = REPO_ROOT / title
            if not source.is_file():
                wrong.append(f"{rel(page)}:{line}: {title} does not exist")
            elif not is_excerpt(block, source.read_text(encoding="utf-8").splitlines()):
                wrong.append(f"{rel(page)}:{line}: not an exact contiguous excerpt of {title}")
    assert wrong == []


def test_every_example_file_is_named_by_its_test():
    missing = []
    folder = COURSE / "exemples"
    for section in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        test_file = TESTS / f"test_exemples_{section.name.replace('-', '_')}.py"
        if not test_file.is_file():
            missing.append(f"{test_file.name} (for course/exemples/{section.name}/)")
            continue
        named = test_file.read_text(encoding="utf-8")
        for path in sorted(section.rglob("*")):
            parts = path.relative_to(section).parts
            if path.is_file() and path.suffix != ".pyc" and not any(p.startswith(".") or p == "__pycache__" for p in parts):
                if path.name not in named:
                    missing.append(f"{test_file.name} does not name {path.relative_to(COURSE)}")
    assert missing == []


# --- generated blocks and size ------------------------------------------------------------------------------

def test_mapping_blocks_are_current():
    referentiel, labs = load_referentiel(), discover_labs()
    stale = [rel(p) for p in mapping_files(COURSE)
             if fill_mappings(p.read_text(encoding="utf-8"), referentiel, labs, str(p)) != p.read_text(encoding="utf-8")]
    assert stale == [], f"{stale}: run `python -m graders.course_site --mapping write`"


def test_french_teaching_is_at_least_min_words():
    counts = course_words()
    print("French words per section:", counts, "total", sum(counts.values()))
    assert sum(counts.values()) >= MIN_WORDS
