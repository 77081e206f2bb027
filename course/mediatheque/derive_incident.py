"""The incident lab's derived files (`incident-production`), read by derive.py.

Release 1.3.1 of the médiathèque broke loans in production: its `rules.py` is the reference's with
one change (`BROKEN`), and the lab ships it as the starter and as the hidden tests' trusted copy of
the broken release. The solution (and every example but the one that gets the fix wrong) holds the
reference module as it is, so a change to the reference reaches the lab through the drift test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.mediatheque.derive_specs import APP, FromReference

LAB_ID = "incident-production"
# (reference text, text of the broken release 1.3.1): "the birth year is now required at sign-up".
BROKEN = ("    return birth_year is not None and today.year - birth_year < MAJORITY_AGE\n",
          "    return today.year - birth_year < MAJORITY_AGE  # 1.3.1 : année de naissance obligatoire\n")
FIXED_TREES = ("solution", "examples/correctif-sans-test-de-non-regression", "examples/test-qui-passe-sur-la-version-cassee",
               "examples/post-mortem-sans-la-cause")


@dataclass(frozen=True)
class BrokenRelease:
    """The reference `rules.py` with the broken release's change."""

    target: str

    def render(self, lab: Path) -> str:
        text = (APP / "rules.py").read_text(encoding="utf-8")
        old, new = BROKEN
        if text.count(old) != 1:
            raise ValueError(f"{LAB_ID}: the reference rules.py no longer holds the line the broken release changes")
        return text.replace(old, new)


def _incident() -> list:
    files: list = [BrokenRelease("starter/mediatheque/rules.py"),
                   BrokenRelease("grader/regression/version_cassee/mediatheque/rules.py")]
    files += [FromReference(f"{tree}/mediatheque/rules.py", "rules.py") for tree in FIXED_TREES]
    return files


def derivations() -> dict:
    return {LAB_ID: _incident}
