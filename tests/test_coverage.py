"""The référentiel coverage table: computed from the lab manifests, and current in course/README.md."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from graders.cli import app
from graders.coverage import END, START, coverage_markdown, lab_criteria, replace_block
from graders.errors import BadInput
from graders.labs import discover_labs, find_lab
from graders.paths import REFERENTIEL_FILE
from graders.referentiel import load_referentiel

README = REFERENTIEL_FILE.parent / "README.md"


@pytest.fixture(scope="module")
def table() -> str:
    return coverage_markdown(load_referentiel(), discover_labs())


def test_course_readme_holds_the_current_table(table):
    text = README.read_text(encoding="utf-8")
    assert replace_block(text, table, "README") == text, \
        "course/README.md is stale: run `cda coverage --write course/README.md`"


def test_a_lab_counts_its_checks_criteria_and_its_rubric_apart():
    found = lab_criteria(find_lab("veille-vulnerabilites"))
    assert found.checked == {"C10.4", "C11.2"} and found.rubric == {"C10.4"}


def test_rows_add_up_to_the_total(table):
    rows = re.findall(r"^\| C\d+ \| (\d+)/(\d+) \|", table, re.M)
    assert len(rows) == len(load_referentiel().competences)
    total = re.search(r"\*\*(\d+)/(\d+)\*\*", table)
    assert (int(total[1]), int(total[2])) == (sum(int(a) for a, _ in rows), sum(int(b) for _, b in rows))
    assert "`anglais-technique` (C1.4)" in table


def test_rewriting_needs_exactly_one_block():
    assert replace_block(f"a\n{START}\nold\n{END}\nb", "new\n", "x") == f"a\n{START}\nnew\n{END}\nb"
    with pytest.raises(BadInput):
        replace_block("no markers", "new\n", "x")


def test_labs_json_lists_the_transversal_themes():
    result = CliRunner().invoke(app, ["labs", "--json"])
    assert result.exit_code == 0
    themes = {t for lab in json.loads(result.stdout) for t in lab["themes"]}
    assert {"veille", "english", "incidents"} <= themes
