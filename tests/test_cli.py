"""The `cda` command line: listing, grading, exit codes, one-line errors."""

import json

import pytest

from tests.helpers import FIXTURE_LABS, REPO, run_cda

LAB = FIXTURE_LABS / "mini-lab"


def assert_one_line_error(proc, code: int, fragment: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cda: error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout


def test_labs_json_lists_the_course_labs():
    proc = run_cda("labs", "--json")
    assert proc.returncode == 0, proc.stderr
    labs = json.loads(proc.stdout)
    ids = {lab["id"] for lab in labs}
    assert "c6-architecture-couches" in ids
    for lab in labs:
        assert set(lab) >= {"id", "title", "kind", "competences", "themes", "path"}
        assert lab["kind"] in {"repo", "notebook"}


def test_labs_json_with_fixture_dir():
    proc = run_cda("labs", "--json", labs_dir=FIXTURE_LABS)
    assert [lab["id"] for lab in json.loads(proc.stdout)] == ["mini-lab", "penalites-lab"]


def test_grade_by_id_writes_json_and_exits_zero(tmp_path):
    out = tmp_path / "r.json"
    proc = run_cda("grade", "mini-lab", str(LAB / "solution"), "--json", str(out), labs_dir=FIXTURE_LABS)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert result["score"] == result["max_score"] == 15
    assert "15/15" in proc.stdout


def test_fail_under_exits_one(tmp_path):
    proc = run_cda("grade", str(LAB), str(LAB / "starter"), "--fail-under", "50", "-q")
    assert proc.returncode == 1, proc.stderr


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["grade", "no-such-lab", "."], "unknown lab 'no-such-lab'"),
        (["grade", "mini-lab", "/nonexistent/folder"], "/nonexistent/folder: no such file or folder"),
        (["grade", "mini-lab", str(LAB / "lab.toml")], "must be a folder"),
        (["grade", str(LAB / "lab.toml"), "."], "not a file"),
        (["grade", "mini-lab", ".", "--fail-under", "150"], "fail-under"),
        (["grade", "mini-lab", ".", "--lang", "de"], "'de'"),
        (["check", "/nonexistent"], "not a folder"),
        (["check", str(REPO / "graders")], "no .cda-lab file"),
    ],
)
def test_bad_input_exits_two_with_one_line(args, fragment):
    assert_one_line_error(run_cda(*args, labs_dir=FIXTURE_LABS), 2, fragment)


def test_malformed_manifest_exits_two(tmp_path):
    import shutil

    lab = shutil.copytree(LAB, tmp_path / "mini-lab")
    (lab / "lab.toml").write_text('id = "mini-lab"\ntitle = 3\n')
    proc = run_cda("grade", str(lab), str(lab / "solution"))
    assert_one_line_error(proc, 2, "lab.toml: title: Input should be a valid string")


def test_unavailable_sandbox_exits_three():
    proc = run_cda("grade", "mini-lab", str(LAB / "solution"), "--sandbox", "docker", labs_dir=FIXTURE_LABS)
    if proc.returncode == 0:
        pytest.skip("a Docker engine with the grader image answers here")
    assert_one_line_error(proc, 3, "sandbox docker unavailable")


def test_check_uses_visible_checks_only(tmp_path):
    import shutil

    work = shutil.copytree(LAB / "solution", tmp_path / "work")
    (work / ".cda-lab").write_text("mini-lab\n")
    proc = run_cda("check", labs_dir=FIXTURE_LABS, cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "Tests visibles" in proc.stdout and "Tests cachés" not in proc.stdout
