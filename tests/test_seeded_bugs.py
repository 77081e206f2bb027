"""The `seeded-bugs` check's pure parts: seeds validated against the reference, variants built."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from graders.checks.seeded_bugs import SeededBugsOptions, failed_lines, load_seeds, variant
from graders.labs import load_lab

LAB = Path(__file__).resolve().parent.parent / "labs" / "c3-composants-securises"


def fake_lab(root: Path):
    return SimpleNamespace(resolve=lambda p: root / p)


def write_lab(root: Path, seeds: str) -> SeededBugsOptions:
    (root / "ref" / "pkg").mkdir(parents=True)
    (root / "ref" / "pkg" / "mod.py").write_text("def allowed(user, owner):\n    return user == owner\n")
    (root / "seeds.toml").write_text(seeds)
    return SeededBugsOptions(reference="ref", package="pkg", seeds="seeds.toml")


SEED = '[[seeds]]\nname = "idor"\nfile = "mod.py"\nold = "return user == owner"\nnew = "return True"\n' \
       'description = "x"\nsecurity = true\n'


def test_seed_applies_to_a_copy(tmp_path):
    options = write_lab(tmp_path, SEED)
    [seed] = load_seeds(options, fake_lab(tmp_path))
    root = variant(tmp_path / "ref", "pkg", seed, tmp_path)
    assert "return True" in (root / "pkg" / "mod.py").read_text()
    assert "return user == owner" in (tmp_path / "ref" / "pkg" / "mod.py").read_text()  # the reference is untouched
    assert "return user == owner" in (variant(tmp_path / "ref", "pkg", None, tmp_path) / "pkg" / "mod.py").read_text()


@pytest.mark.parametrize("seeds, error", [
    (SEED.replace("return user == owner", "return nobody"), "occurs 0 times"),
    (SEED.replace("mod.py", "missing.py"), "no file missing.py"),
    (SEED + SEED, "two seeds share a name"),
])
def test_bad_seeds_are_lab_errors(tmp_path, seeds, error):
    options = write_lab(tmp_path, seeds)
    with pytest.raises(ValueError, match=error):
        load_seeds(options, fake_lab(tmp_path))


def test_paths_must_stay_in_the_lab():
    with pytest.raises(ValueError):
        SeededBugsOptions(reference="../elsewhere", seeds="seeds.toml")


def test_failed_lines_keep_the_summary_only():
    output = "....F\nsome code line\nFAILED tests/test_a.py::test_x - assert 1 == 2\n1 failed"
    assert failed_lines(output) == "FAILED tests/test_a.py::test_x - assert 1 == 2"


def test_c3_seeds_apply_to_its_solution():
    lab = load_lab(LAB)
    spec = next(c for c in lab.manifest.checks if c.kind == "seeded-bugs")
    seeds = load_seeds(SeededBugsOptions(**spec.options), lab)
    assert any(s.name == "idor-prets" and s.security for s in seeds)


def test_reference_lines_are_cut_from_the_feedback():
    from graders.redaction import redact

    lab = load_lab(LAB)
    spec = next(c for c in lab.manifest.checks if c.kind == "seeded-bugs")
    from graders.checks.seeded_bugs import SeededBugsCheck

    check = SeededBugsCheck(SeededBugsOptions(**spec.options))
    lines = check._reference_lines(SimpleNamespace(lab=lab))
    leaked = "FAILED tests/test_x.py::test_y - AssertionError: if not actor.may_read_member(member_id):"
    assert "may_read_member(member_id)" not in redact(failed_lines(leaked), lines)
