"""The course site's source tree (`build/site-src/docs`): the course pages, one page per lab (statement
and generated grading section), one per quiz, and the navigation CCP → competence → pages and labs.
Sections that do not exist yet are left out."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from graders.course_site.labpages import grading_markdown
from graders.course_site.mapping import fill_mappings
from graders.course_site.quiz import load_quiz_file, quiz_files, quiz_markdown
from graders.i18n import gettext_for
from graders.labs import Lab
from graders.referentiel import Referentiel

SKIPPED_DIRS = {"exemples", "__pycache__"}  # examples are shown in the pages, as excerpts
LINK = re.compile(r"\]\(([^)\s]+)\)")
LANGS = ("fr", "en")


@dataclass
class Staged:
    docs: Path
    nav: list = field(default_factory=list)
    translations: dict[str, str] = field(default_factory=dict)  # French nav title -> English
    pages: list[str] = field(default_factory=list)


def course_pages(course: Path) -> list[Path]:
    """Every Markdown page of the course (French and `.en.md`), examples left out."""
    found = []
    for path in sorted(course.rglob("*.md")):
        rel = path.relative_to(course)
        if not SKIPPED_DIRS & set(rel.parts[:-1]):
            found.append(rel)
    return found


def staged_name(rel: Path) -> Path:
    if rel == Path("README.md"):
        return Path("index.md")
    if rel == Path("README.en.md"):
        return Path("index.en.md")
    return rel


def rewrite_links(text: str, source: Path, staged: Path, repo: Path) -> str:
    """Links from a course page into a lab (`../labs/<id>/README.md`, `../labs/<id>/`) point at the lab's page."""
    labs = repo / "labs"

    def replace(match: re.Match) -> str:
        target = match.group(1)
        if "://" in target or target.startswith("#"):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = Path(os.path.normpath(source.parent / path))
        if resolved.parent == labs or (resolved.parent.parent == labs and resolved.name == "README.md"):
            lab = resolved.name if resolved.parent == labs else resolved.parent.name
            if (labs / lab / "lab.toml").is_file():
                new = os.path.relpath(Path("labs") / f"{lab}.md", staged.parent)
                return f"]({new}{'#' + anchor if anchor else ''})"
        return match.group(0)

    return LINK.sub(replace, text)


def copy_linked_files(text: str, source: Path, course: Path, docs: Path) -> None:
    """Files of the course that a page links to (`referentiel.toml`, a model, an example) are published beside it."""
    for target in LINK.findall(text):
        path = target.partition("#")[0]
        if not path or "://" in path or path.endswith(".md"):
            continue
        resolved = Path(os.path.normpath(source.parent / path))
        if resolved.is_file() and resolved.is_relative_to(course):
            destination = docs / resolved.relative_to(course)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(resolved, destination)


def write(staged: Staged, rel: Path, text: str) -> None:
    target = staged.docs / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    if not rel.name.endswith(".en.md"):
        staged.pages.append(rel.as_posix())


def stage(repo: Path, docs: Path, referentiel: Referentiel, labs: list[Lab]) -> Staged:
    course = repo / "course"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    staged = Staged(docs)
    for rel in course_pages(course):
        text = (course / rel).read_text(encoding="utf-8")
        text = fill_mappings(text, referentiel, labs, str(course / rel))
        copy_linked_files(text, course / rel, course, docs)
        write(staged, staged_name(rel), rewrite_links(text, course / rel, staged_name(rel), repo))
    for lab in labs:
        statement = (lab.path / "README.md")
        text = statement.read_text(encoding="utf-8") if statement.is_file() else f"# {lab.manifest.title}\n"
        text = rewrite_links(text, statement, Path("labs") / f"{lab.id}.md", repo)
        for lang in LANGS:
            suffix = ".md" if lang == "fr" else ".en.md"
            body = text if lang == "fr" else f'<div lang="fr" markdown="1">\n\n{text}\n\n</div>\n'  # RGAA 8.7
            write(staged, Path("labs") / f"{lab.id}{suffix}", body + grading_markdown(lab, referentiel, lang, gettext_for(lang)))
    for path in quiz_files(course / "quiz"):
        quiz = load_quiz_file(path)
        write(staged, Path("quiz") / f"{quiz.section}.md", quiz_markdown(quiz, gettext_for("fr")))
    staged.nav = navigation(staged, referentiel, labs)
    return staged


def navigation(staged: Staged, referentiel: Referentiel, labs: list[Lab]) -> list:
    """CCP → competence → (course page, quiz, labs), then themes, exam, trainers, the rest."""
    present = set(staged.pages)
    used: set[str] = set()
    tr = staged.translations

    def page(title: str, rel: str, title_en: str | None = None):
        used.add(rel)
        if title_en:
            tr[title] = title_en
        return {title: rel}

    nav: list = [page("Accueil", "index.md", "Home")] if "index.md" in present else []
    for ccp in referentiel.ccps:
        items = []
        overview = sorted(p for p in present if "/" not in p and p.lower().startswith(ccp.id.lower() + "-"))
        items += [page("Présentation", rel, "Overview") for rel in overview]
        for cid in ccp.competences:
            section = cid.lower()
            children = []
            if f"competences/{section}.md" in present:
                children.append(page("Cours", f"competences/{section}.md", "Course"))
            if f"quiz/{section}.md" in present:
                children.append(page("Quiz", f"quiz/{section}.md", "Quiz"))
            children += [page(lab.id, f"labs/{lab.id}.md") for lab in labs if lab.manifest.competences[0] == cid]
            if children:
                competence = referentiel.competences[cid]
                title = f"{cid} — {competence.title}"
                tr[title] = f"{cid} — {competence.title_en}"
                items.append({title: children})
        if items:
            title = f"{ccp.id} — {ccp.title}"
            tr[title] = f"{ccp.id} — {ccp.title_en}"
            nav.append({title: items})
    themes = []
    for rel in sorted(p for p in present if p.startswith("transversal/")):
        stem = Path(rel).stem
        themes.append(page(heading(staged.docs / rel) or stem, rel))
        if f"quiz/{stem}.md" in present:
            themes.append(page(f"Quiz — {heading(staged.docs / rel) or stem}", f"quiz/{stem}.md"))
    sections = [("Thèmes transversaux", "Cross-cutting themes", themes)]
    for folder, title, title_en in (("examen", "Examen", "Exam"), ("formateurs", "Formateurs", "Trainers")):
        sections.append((title, title_en, [page(heading(staged.docs / rel) or rel, rel)
                                           for rel in sorted(p for p in present if p.startswith(folder + "/"))]))
    sections.append(("Ressources", "Resources", [page(heading(staged.docs / rel) or rel, rel)
                                                 for rel in sorted(present - used)]))
    for title, title_en, items in sections:
        if items:
            tr[title] = title_en
            nav.append({title: items})
    return nav


def heading(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None
