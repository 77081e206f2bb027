"""The `cda` command line: listing, grading, exit codes, one-line errors."""

import json
import subprocess
import sys

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


def test_grade_dot_from_inside_the_lab_folder(tmp_path):
    """`cda grade . solution` in the lab's folder: the lab is that folder (its name, not '.')."""
    out = tmp_path / "r.json"
    proc = run_cda("grade", ".", "solution", "-q", "--json", str(out), cwd=LAB)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["lab"] == "mini-lab"


def test_a_lab_imports_only_its_own_checks():
    """Loading a lab imports the check plugins it names, not all of them: the grading service's API
    loads a lab per post, and importing every plugin made its first answer wait seconds."""
    script = ("import sys; from graders.labs import load_lab; from pathlib import Path; "
              f"load_lab(Path({str(LAB)!r})); "
              "print(sorted(m for m in sys.modules if m.startswith('graders.checks.') and m.endswith('_check')))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded = eval(proc.stdout)  # noqa: S307 (our own subprocess's list of names)
    assert "graders.checks.pytest_check" in loaded
    assert "graders.checks.ci_config_check" not in loaded and "graders.checks.mutation_check" not in loaded


def test_grade_writes_every_format_asked_for(tmp_path):
    """--json, --markdown... and --report FORMAT=PATH: one grading, every report, each named on stderr."""
    flags = {"json": "r.json", "markdown": "r.md", "html": "r.html", "junit": "r.xml", "sarif": "r.sarif"}
    args = [arg for flag, name in flags.items() for arg in (f"--{flag}", str(tmp_path / name))]
    proc = run_cda("grade", "mini-lab", str(LAB / "solution"), *args, "--report", f"gradescope={tmp_path / 'gs.json'}",
                   "-q", labs_dir=FIXTURE_LABS)
    assert proc.returncode == 0, proc.stderr
    for fmt, name in {**flags, "gradescope": "gs.json"}.items():
        assert (tmp_path / name).read_text(encoding="utf-8").strip(), fmt
        assert f"{fmt}: {tmp_path / name}" in proc.stderr
    assert json.loads((tmp_path / "gs.json").read_text())["score"] == 15
    assert proc.stdout == ""  # -q: the summary only is silenced, reports are on stderr


@pytest.mark.parametrize("command", ["grade", "scan", "audit"])
def test_report_flags_come_from_the_registry(command):
    proc = run_cda(command, "--help", extra_env={"COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr
    for flag in ("--json", "--markdown", "--html", "--junit", "--sarif", "--gradescope", "--report"):
        assert flag in proc.stdout, (command, flag)


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
        (["grade", "mini-lab", ".", "--report", "pdf=r.pdf"], "--report: unknown format 'pdf'"),
        (["grade", "mini-lab", ".", "--report", "junit"], "--report: expected FORMAT=PATH, got 'junit'"),
        (["grade", "mini-lab", ".", "--json", "r.json", "--report", "json=other.json"], "json report is asked for twice"),
        (["grade", "mini-lab", ".", "--json", "r.json", "--gradescope", "r.json"], "cannot both be written there"),
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
