"""The médiathèque's cahier des charges: data and Markdown agree, every reference resolves, and its
figures are those of the reference rules (rules.py)."""

from __future__ import annotations

import importlib.util
import re

import pytest

from course.mediatheque import cahier
from graders.design.cahier import read as read_specification
from tests.helpers import REPO

RULES = REPO / "course" / "mediatheque" / "app" / "mediatheque" / "rules.py"


@pytest.fixture(scope="module")
def rules():
    spec = importlib.util.spec_from_file_location("reference_rules", RULES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_markdown_is_rendered_from_the_data():
    assert cahier.RENDERED.read_text(encoding="utf-8") == cahier.render(cahier.load())
    assert cahier.main(["--check"]) == 0


def test_requirements_are_numbered_owned_prioritised_and_traced():
    spec = cahier.load()
    ids = [r.id for r in spec.requirements]
    assert ids == [f"EX-{n:02d}" for n in range(1, len(ids) + 1)] and 24 <= len(ids) <= 30
    assert {r.category for r in spec.requirements} >= {"rgaa", "rgpd", "securite", "fonctionnelle"}
    assert all(r.owner and r.priority and r.actors and r.use_cases for r in spec.requirements)
    used = {u for r in spec.requirements for u in r.use_cases}
    assert used == set(spec.use_cases), "every use case serves a requirement"
    # what graders read agrees with the loader
    graded = read_specification(cahier.SOURCE)
    assert graded.requirements == tuple(ids) and graded.actors == spec.actors


def test_an_unknown_reference_is_one_line_naming_the_requirement(tmp_path):
    broken = tmp_path / "cahier.toml"
    broken.write_text(cahier.SOURCE.read_text(encoding="utf-8").replace('owner = "dpo"', 'owner = "maire"', 1),
                      encoding="utf-8")
    with pytest.raises(ValueError, match=r"cahier.toml: EX-05: unknown owner maire"):
        cahier.load(broken)


def test_figures_are_those_of_the_reference_rules(rules):
    text = {r.id: r.text for r in cahier.load().requirements}
    for kind, days in rules.LOAN_DAYS.items():
        assert re.search(rf"\b{kind}\b[^;:]*?{days} jours", text["EX-10"]), kind
    assert f"{rules.MAX_LOANS_ADULT} prêts" in text["EX-12"] and f"mineur {rules.MAX_LOANS_MINOR}" in text["EX-12"]
    assert f"{rules.LOGIN_MAX_FAILURES} échecs en {rules.LOGIN_WINDOW_S // 60} minutes" in text["EX-09"]
    assert f"{rules.LATE_GRACE_DAYS} jours" in text["EX-16"] and "0,15 €" in text["EX-16"] and "8,00 €" in text["EX-16"]
    assert f"{rules.CATALOGUE_CACHE_TTL_S // 60} minutes" in text["EX-03"]
    assert "6 mois" in text["EX-20"] and "13 mois" in text["EX-20"]


def test_the_template_of_the_dossier_loads_and_renders(tmp_path):
    template = REPO / "course" / "modeles" / "cahier-des-charges.toml"
    output = tmp_path / "cdc.md"
    assert cahier.main(["--source", str(template), "--output", str(output)]) == 0
    assert "| EX-02 | **Droit à l'effacement**" in output.read_text(encoding="utf-8")
    assert cahier.main(["--source", str(tmp_path / "absent.toml")]) == 2
