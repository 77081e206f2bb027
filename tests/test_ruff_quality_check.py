"""The `ruff-quality` check: the lab's rule set only, every file named, 3.12+ syntax parsed."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from graders.checks.base import CheckContext
from graders.checks.ruff_quality import RuffQualityCheck, RuffQualityOptions, definitions, python_files, ruff_finding
from graders.i18n import gettext_for
from graders.sandbox import RunLimits, get_sandbox

DOCUMENTED = '"""Un module."""\n\n\ndef public():\n    """Fait une chose."""\n    return 1\n'
UNDOCUMENTED = "def first():\n    return 1\n\n\nclass Second:\n    def method(self):\n        return 2\n\n\ndef _private():\n    return 3\n"


def test_options_refuse_unknown_codes_and_escaping_paths():
    with pytest.raises(ValueError):
        RuffQualityOptions(select=["D1; rm"])
    with pytest.raises(ValueError):
        RuffQualityOptions(select=["D1"], paths=["../elsewhere"])
    argv = RuffQualityOptions(select=["D100"], convention="pep257").argv(["a.py"])
    assert "--isolated" in argv and "--ignore-noqa" in argv and argv[-2:] == ["--", "a.py"]


def test_definitions_are_the_module_and_its_public_classes_and_functions():
    assert definitions(UNDOCUMENTED) == 4  # the module, first, Second, method; not _private


def test_files_are_listed_by_the_grader(tmp_path):
    (tmp_path / "pkg" / "tests").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "tests" / "test_a.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "link.py").symlink_to(tmp_path / "pkg" / "a.py")
    options = RuffQualityOptions(select=["D1"], paths=["pkg"], exclude=["pkg/tests"])
    assert python_files(tmp_path, options) == ["pkg/a.py"]


def test_finding_in_french_with_path_line_and_rule():
    entry = {"code": "D103", "filename": "/workspace/pkg/a.py", "location": {"row": 4, "column": 5},
             "message": "Missing docstring in public function"}
    finding = ruff_finding(entry, "/workspace/", gettext_for("fr"))
    assert (finding.rule, finding.path, finding.line) == ("ruff-D103", "pkg/a.py", 4)
    assert "docstring" in finding.message and "fonction" in finding.message


def run_check(workspace: Path, options: RuffQualityOptions, tmp_path: Path):
    ctx = CheckContext(lab=SimpleNamespace(), spec=SimpleNamespace(points=10), workspace=workspace, scratch=tmp_path,
                       sandbox=get_sandbox(), limits=RunLimits(), lang="fr", _=gettext_for("fr"))
    return RuffQualityCheck(options).run(ctx)


def test_lab_rules_only_noqa_ignored_new_syntax_parsed_broken_file_named(tmp_path):
    ws = tmp_path / "ws"
    (ws / "pkg").mkdir(parents=True)
    (ws / "pkg" / "ok.py").write_text(DOCUMENTED)
    (ws / "pkg" / "bare.py").write_text(UNDOCUMENTED.replace("return 1", "return 1  # noqa: D103"))
    (ws / "pkg" / "modern.py").write_text('"""Syntaxe 3.12."""\n\ntype Id = int\n\n\ndef first[T](x: T) -> T:\n    return x\n')
    (ws / "pkg" / "broken.py").write_text('"""Cassé."""\n\ndef broken(:\n    pass\n')
    (ws / "pyproject.toml").write_text('[tool.ruff.lint]\nselect = ["E"]\nignore = ["D"]\n')  # the learner's own rules
    outcome = run_check(ws, RuffQualityOptions(select=["D100", "D101", "D102", "D103"], paths=["pkg"]), tmp_path)
    found = {(f.rule, f.path, f.line) for f in outcome.findings}
    assert ("ruff-D103", "pkg/bare.py", 1) in found  # despite `# noqa` and the learner's pyproject
    assert ("ruff-D100", "pkg/bare.py", 1) in found and ("ruff-D102", "pkg/bare.py", 6) in found
    assert ("ruff-D103", "pkg/modern.py", 6) in found  # 3.12 syntax parsed, so checked
    assert any(f.rule == "ruff-parse-error" and f.path == "pkg/broken.py" and "NON vérifié" in f.message
               for f in outcome.findings)
    # 4 (bare) + 1 (modern) findings, broken.py's 2 definitions lost, out of 2 + 4 + 2 + 2 definitions
    assert outcome.metrics == {"files": 4, "definitions": 10, "findings": 5, "unparsed": 1}
    assert outcome.fraction == pytest.approx(1 - 7 / 10)
    clean = tmp_path / "clean"
    (clean / "pkg").mkdir(parents=True)
    (clean / "pkg" / "ok.py").write_text(DOCUMENTED)
    assert run_check(clean, RuffQualityOptions(select=["D1", "N8"], paths=["pkg"]), tmp_path).fraction == 1
