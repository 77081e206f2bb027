"""The generated blocks of the CCP pages (competence → labs → criteria), and the helpers of the
integrity tests (titled blocks, excerpts), on small texts."""

from __future__ import annotations

import pytest

from graders.course_site.mapping import CLOSE, fill_mappings, mapping_table
from graders.course_site.words import count_words
from graders.errors import BadInput
from graders.labs import discover_labs
from graders.referentiel import load_referentiel
from tests.course.test_course_integrity import is_excerpt, titled_blocks


@pytest.fixture(scope="module")
def context():
    return load_referentiel(), discover_labs()


def test_empty_block_is_filled_with_the_labs_and_criteria(context):
    text = "# CCP2\n\nAvant.\n\n<!-- cda:mapping CCP2 -->\n<!-- /cda:mapping -->\n\nAprès.\n"
    filled = fill_mappings(text, *context)
    assert filled.startswith("# CCP2\n\nAvant.\n\n<!-- cda:mapping CCP2 -->\n\n| Compétence |")
    assert filled.endswith(f"\n\n{CLOSE}\n\nAprès.\n")
    row = next(line for line in filled.splitlines() if "`c8-acces-donnees`" in line)
    assert row.startswith("| C8 — ") and "C8.1, C8.2, C8.3, C8.4" in row
    assert "`c1-environnement-travail`" not in filled  # a CCP1 lab
    assert fill_mappings(filled, *context) == filled  # idempotent: --check passes right after --write


def test_rubric_criteria_have_their_column(context):
    table = mapping_table("CCP2", *context)
    row = next(line for line in table.splitlines() if "`c6-architecture-couches`" in line and line.startswith("| C6"))
    assert row.rstrip(" |").endswith("C6.3")  # C6.3 is a rubric item of the lab: "à évaluer par le formateur"


def test_text_without_marker_is_unchanged_and_bad_blocks_are_refused(context):
    assert fill_mappings("# Rien\n", *context) == "# Rien\n"
    with pytest.raises(BadInput, match="no closing line"):
        fill_mappings("<!-- cda:mapping CCP1 -->\ntexte\n", *context)
    with pytest.raises(BadInput, match="unknown CCP"):
        fill_mappings("<!-- cda:mapping CCP9 -->\n<!-- /cda:mapping -->\n", *context)


def test_titled_blocks_and_exact_excerpts():
    page = ('Texte\n\n```python title="course/exemples/c3/a.py"\ndef f():\n    return 1\n```\n\n'
            '!!! note\n    ~~~sql title="b.sql"\n    SELECT 1;\n    ~~~\n\n```\nsans titre\n```\n')
    blocks = titled_blocks(page)
    assert [(t, lines) for t, lines, _ in blocks] == [("course/exemples/c3/a.py", ["def f():", "    return 1"]),
                                                     ("b.sql", ["SELECT 1;"])]
    source = ["import x", "", "def f():", "    return 1", ""]
    assert is_excerpt(["def f():", "    return 1"], source)
    assert not is_excerpt(["def f():", "    return 2"], source)
    assert not is_excerpt(["import x", "def f():"], source)  # not contiguous


def test_word_count_leaves_code_and_comments_out():
    text = "# Titre\n\nL'adhérent emprunte 3 livres.\n\n```python\nne pas compter\n```\n<!-- non -->\n| a | — |\n"
    assert count_words(text) == 5  # Titre, L'adhérent, emprunte, livres., a (the table cell); '#', '3', '|', '—' are not words


def test_check_finds_stale_blocks_and_write_fixes_them(tmp_path, context):
    from graders.course_site.mapping import sync_mappings

    page = tmp_path / "ccp3-preparer-deploiement.md"
    page.write_text("# CCP3\n\n<!-- cda:mapping CCP3 -->\n| vieux | tableau |\n<!-- /cda:mapping -->\n", encoding="utf-8")
    (tmp_path / "autre.md").write_text("# Sans bloc\n", encoding="utf-8")
    assert sync_mappings(tmp_path, *context, write=False) == [page]
    assert "vieux" in page.read_text(encoding="utf-8")
    assert sync_mappings(tmp_path, *context, write=True) == [page]
    assert "`c10-deploiement`" in page.read_text(encoding="utf-8") and "vieux" not in page.read_text(encoding="utf-8")
    assert sync_mappings(tmp_path, *context, write=False) == []


def test_words_command_prints_each_section_and_the_total(capsys):
    from graders.course_site import course_words
    from graders.course_site.__main__ import main

    assert main(["--words"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].split() == ["total", str(sum(course_words().values()))]
    assert len(lines) == len(course_words()) + 1
