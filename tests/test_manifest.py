"""Lab manifests: schema validation with errors naming file, field and problem."""

import shutil
from pathlib import Path

import pytest

from graders.errors import BadInput
from graders.labs import load_lab
from tests.helpers import FIXTURE_LABS


@pytest.fixture
def lab_copy(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURE_LABS / "mini-lab", tmp_path / "mini-lab"))


def edit(lab: Path, old: str, new: str) -> None:
    manifest = lab / "lab.toml"
    text = manifest.read_text()
    assert old in text
    manifest.write_text(text.replace(old, new, 1))


def test_fixture_lab_loads(lab_copy):
    lab = load_lab(lab_copy)
    assert lab.manifest.max_score == 15
    assert [c.kind for c in lab.manifest.checks] == ["pytest", "pytest", "import-contracts", "bandit"]


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ('kind = "repo"', 'kind = "website"', "kind: Input should be 'repo' or 'notebook'"),
        ("points = 4", "points = -1", "checks[0].points: Input should be greater than 0"),
        ('competences = ["C3"]', 'competences = ["C42"]', "competences: unknown id 'C42'"),
        ('themes = ["anssi"]', 'themes = ["astrology"]', "themes: unknown id 'astrology'"),
        ('kind = "bandit"', 'kind = "telepathy"', "checks[3].kind: unknown check kind 'telepathy'"),
        ('paths = ["calc"]', 'pathz = ["calc"]', "checks[3].options.pathz: Extra inputs are not permitted"),
        ('title_en = "Test mini-lab"', 'title_en = "x"\ncolour = "blue"', "colour: Extra inputs are not permitted"),
        ('expected_pct = [30, 70]', 'expected_pct = [70, 30]', "examples.partial.expected_pct"),
        ('id = "hidden"', 'id = "visible"', "duplicate check id 'visible'"),
        ('tests = "grader/tests"', 'tests = "/etc"', "checks[1].options"),
    ],
)
def test_bad_manifest_names_file_field_and_problem(lab_copy, old, new, expected):
    edit(lab_copy, old, new)
    with pytest.raises(BadInput) as info:
        load_lab(lab_copy)
    message = str(info.value)
    assert message.startswith(str(lab_copy / "lab.toml")), message
    assert expected in message
    assert "\n" not in message


def test_invalid_toml_is_reported_with_position(lab_copy):
    (lab_copy / "lab.toml").write_text("id = \n")
    with pytest.raises(BadInput, match=r"lab\.toml: invalid TOML: .*line 1"):
        load_lab(lab_copy)


def test_id_must_match_folder(lab_copy, tmp_path):
    moved = lab_copy.rename(tmp_path / "other-name")
    with pytest.raises(BadInput, match="must equal the folder name"):
        load_lab(moved)


def test_binary_manifest_is_bad_input(lab_copy):
    (lab_copy / "lab.toml").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(BadInput, match="not UTF-8"):
        load_lab(lab_copy)


def test_hidden_tests_that_collect_nothing_are_a_manifest_error(lab_copy):
    """Test files pytest would not collect used to give every learner 0 % with exit 0."""
    hidden = lab_copy / "grader" / "tests"
    (hidden / "test_hidden.py").rename(hidden / "hidden_checks.py")
    with pytest.raises(BadInput, match=r"checks\[1\] \(hidden\): grader/tests: no test to run .*hidden_checks.py"):
        load_lab(lab_copy)


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ('match = "test_hidden.py::test_div*"', 'match = "test_hidden.py::test_mod*"',
         "group 'division': no test matches 'test_hidden.py::test_mod"),
        ("per_test_timeout_s = 3", "per_test_timeout_s = 20",
         r"per_test_timeout_s = 20 for 6 tests needs 142 s, more than \[limits\] timeout_s = 45"),
        ('timeout_s = 45', 'timeout_s = 12', r"6 tests at 1 s each do not fit in \[limits\] timeout_s = 12"),
    ],
)
def test_pytest_plan_errors_name_the_check(lab_copy, old, new, expected):
    edit(lab_copy, old, new)
    if old == "timeout_s = 45":  # the visible check has no per-test limit of its own: its default must fit
        edit(lab_copy, 'tests = "starter/tests"', 'tests = "grader/tests"')
        edit(lab_copy, "per_test_timeout_s = 3\n", "")
    with pytest.raises(BadInput, match=expected):
        load_lab(lab_copy)


def test_uncountable_parametrize_needs_all_or_nothing(lab_copy):
    edit(lab_copy, 'parametrized = "all"\n', "")
    test_file = lab_copy / "grader" / "tests" / "test_hidden.py"
    source = test_file.read_text()
    assert load_lab(lab_copy).manifest.checks[1].options.get("parametrized") is None  # a literal list: counted
    parametrize = source[source.index("@pytest.mark.parametrize("):].split("\n", 1)[0]
    test_file.write_text(source.replace(parametrize, '@pytest.mark.parametrize("a,b", make_cases())'))
    with pytest.raises(BadInput, match="cannot count the cases of test_hidden.py::test_add_commutes"):
        load_lab(lab_copy)
