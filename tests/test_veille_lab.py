"""The vulnerability-watch lab's known answers follow from its OSV snapshot's ranges and the
starter's pins (recomputed here with `packaging`), and its hidden tests read a faithful copy."""

from __future__ import annotations

import filecmp
import json
import re
import tomllib
from pathlib import Path

from packaging.version import Version

LAB = Path(__file__).resolve().parents[1] / "labs" / "veille-vulnerabilites"
SNAPSHOT = LAB / "starter" / "veille" / "osv"


def starter_pins() -> dict[str, Version]:
    text = (LAB / "starter" / "requirements.txt").read_text(encoding="utf-8")
    return {m.group(1).lower(): Version(m.group(2)) for m in re.finditer(r"^([\w.-]+)==(\S+)", text, re.M)}


def affected(advisory: dict, pins: dict[str, Version]) -> bool | None:
    """True/False for a PyPI advisory of a pinned package, None for another ecosystem."""
    verdict = None
    for entry in advisory["affected"]:
        package = entry["package"]
        if package["ecosystem"] != "PyPI":
            continue
        version = pins[package["name"]]  # every PyPI advisory of the snapshot names a pinned package
        verdict = bool(verdict)
        for rng in entry["ranges"]:
            events = {k: v for event in rng["events"] for k, v in event.items()}
            if Version(events["introduced"]) <= version < Version(events["fixed"]):
                verdict = True
    return verdict


def test_answers_follow_from_the_ranges():
    answers = tomllib.loads((LAB / "grader" / "triage_attendu.toml").read_text(encoding="utf-8"))
    expected = {a["id"]: a["decisions"] for a in answers["advisories"]}
    pins = starter_pins()
    checked = 0
    for path in sorted(SNAPSHOT.glob("*.json")):
        advisory = json.loads(path.read_text(encoding="utf-8"))
        assert advisory["id"] in expected, f"{advisory['id']} has no known answer"
        verdict = affected(advisory, pins)
        if verdict is None:
            continue
        assert expected[advisory["id"]] == (["mettre-a-jour"] if verdict else ["non-concerne"]), advisory["id"]
        checked += 1
    assert checked == 10
    # Both answers occur, so a triage that says the same thing everywhere cannot pass.
    assert sorted({d for ds in expected.values() for d in ds}) == ["mettre-a-jour", "non-concerne"]


def test_hidden_tests_read_the_same_snapshot():
    copy = LAB / "grader" / "versions" / "osv"
    names = sorted(p.name for p in SNAPSHOT.glob("*.json"))
    assert names == sorted(p.name for p in copy.glob("*.json"))
    _, mismatch, errors = filecmp.cmpfiles(SNAPSHOT, copy, names, shallow=False)
    assert not mismatch and not errors


def test_solution_pins_are_outside_every_range():
    text = (LAB / "solution" / "requirements.txt").read_text(encoding="utf-8")
    pins = {m.group(1).lower(): Version(m.group(2)) for m in re.finditer(r"^([\w.-]+)==(\S+)", text, re.M)}
    for path in sorted(SNAPSHOT.glob("*.json")):
        assert affected(json.loads(path.read_text(encoding="utf-8")), pins) in (None, False), path.name
