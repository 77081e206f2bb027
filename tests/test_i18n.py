"""The French catalog: complete, placeholders kept, every msgid the package uses."""

from __future__ import annotations

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.helpers import REPO

ROOT = REPO
PO_FILE = ROOT / "graders" / "locale" / "fr" / "LC_MESSAGES" / "graders.po"


def test_french_catalog_complete():
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    missing = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"untranslated msgids in {PO_FILE}: {missing}"
    assert not fuzzy, f"fuzzy msgids in {PO_FILE}: {fuzzy}"
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        for pattern in (r"\{[^{}]*\}", r"%\(\w+\)[sdf]"):
            expected, got = sorted(re.findall(pattern, message.id)), sorted(re.findall(pattern, message.string))
            assert expected == got, f"placeholders differ in {message.id!r} -> {message.string!r}"


def test_every_msgid_of_the_package_is_in_catalog():
    """Every string the package translates is in the French catalog (else: make i18n, then translate)."""
    package_dir = ROOT / "graders"
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    used = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(package_dir), method_map, {"**/templates/**.html": {"encoding": "utf-8"}})
    }
    with PO_FILE.open("rb") as handle:
        known = {m.id for m in read_po(handle) if m.id}
    assert "Grading report: %(lab)s" in used and "Skip to main content" in used
    assert "path outside the submission" in used  # outside graders/render too
    assert not used - known, f"run make i18n: missing {sorted(used - known)}"
