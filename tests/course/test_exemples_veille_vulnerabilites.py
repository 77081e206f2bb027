"""Runs the worked example of course/transversal/veille-vulnerabilites.md: VEILLE.md is parsed and
graded by the security-watch check of the veille-vulnerabilites lab (graders/checks/security_watch.py)
against attendu.toml, and attendu.toml is recomputed from the real OSV advisories in osv/
(GHSA-m2qf-hxjv-5gpq.json, GHSA-h5c8-rqwp-cp95.json, GHSA-h75v-3vvj-5mfj.json, GHSA-v845-jxx5-vc9f.json)
and the pins of requirements-2.1.txt with `packaging`."""

from __future__ import annotations

import json
import re

from packaging.version import Version

from graders.checks.security_watch import (
    grade_watch,
    load_answers,
    load_snapshot,
    parse_watch,
)
from graders.i18n import gettext_for
from tests.helpers import REPO

FOLDER = REPO / "course" / "exemples" / "veille-vulnerabilites"
LAB_SNAPSHOT = REPO / "labs" / "veille-vulnerabilites" / "starter" / "veille" / "osv"
_ = gettext_for("fr")


def pins() -> dict[str, Version]:
    text = (FOLDER / "requirements-2.1.txt").read_text(encoding="utf-8")
    return {name: Version(version) for name, version in re.findall(r"^([a-z0-9_-]+)==(\S+)$", text, re.MULTILINE)}


def affected(advisory: dict, name: str, version: Version) -> bool:
    for entry in advisory["affected"]:
        if entry["package"]["name"] != name:
            continue
        for rng in entry.get("ranges", []):
            start = next((Version(e["introduced"]) for e in rng["events"] if "introduced" in e), Version("0"))
            fixed = next((Version(e["fixed"]) for e in rng["events"] if "fixed" in e), None)
            if version >= start and (fixed is None or version < fixed):
                return True
    return False


def test_the_advisories_are_real_copies_of_the_lab_snapshot():
    files = sorted((FOLDER / "osv").glob("*.json"))
    assert len(files) == 4
    for path in files:
        assert path.read_bytes() == (LAB_SNAPSHOT / path.name).read_bytes()


def test_expected_answers_follow_from_the_osv_ranges():
    versions = pins()
    answers = {a.id: a.decisions for a in load_answers(FOLDER / "attendu.toml").advisories}
    for path in (FOLDER / "osv").glob("*.json"):
        advisory = json.loads(path.read_text(encoding="utf-8"))
        name = advisory["affected"][0]["package"]["name"]
        expected = "mettre-a-jour" if affected(advisory, name, versions[name]) else "non-concerne"
        assert answers[advisory["id"]] == [expected], advisory["id"]


def test_the_lab_check_gives_the_watch_file_full_marks():
    index = load_snapshot(FOLDER / "osv")
    parsed = parse_watch((FOLDER / "VEILLE.md").read_text(encoding="utf-8"), index)
    fraction, findings = grade_watch(parsed, load_answers(FOLDER / "attendu.toml"), 4, "VEILLE.md", _)
    assert fraction == 1.0 and findings == []


def test_reading_fixed_as_the_last_affected_version_is_caught():
    index = load_snapshot(FOLDER / "osv")
    wrong = (FOLDER / "VEILLE.md").read_text(encoding="utf-8").replace(
        "| jinja2 3.1.3 | Non concerné |", "| jinja2 3.1.3 | Mettre à jour |")
    fraction, findings = grade_watch(parse_watch(wrong, index), load_answers(FOLDER / "attendu.toml"), 4, "VEILLE.md", _)
    assert fraction == 0.8 and [f.rule for f in findings] == ["watch-wrong-decision"]
