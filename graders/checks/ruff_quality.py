"""`ruff-quality` check: naming (pep8-naming, `N`) and docstrings (pydocstyle, `D`) with ruff.

ruff runs in the sandbox, `--isolated` (the submission's `pyproject.toml`, `ruff.toml` and
`.ruff.toml` are never read) with the lab's rule set only (`select`, `ignore`, the pydocstyle
`convention`), `--ignore-noqa` (`# noqa` comments are ignored) and the newest target version, so
Python 3.12+ syntax is parsed. The files are listed by the grader, so none can be skipped by an
exclusion or a `.gitignore`. A file ruff cannot parse is named in a finding, "NOT checked", and all
its definitions count as flagged.

Score: 1 - findings / definitions, a definition being a module or a public `class` / `def` of the
analysed files (counted from their text, never imported).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding
from graders.sandbox.base import OUTPUT, WORKSPACE

TARGET_VERSION = "py314"  # ruff parses every syntax up to this version
DEFINITION = re.compile(r"^[ \t]*(?:async[ \t]+def|def|class)[ \t]+([A-Za-z]\w*)", re.MULTILINE)
PARSE_ERROR = "invalid-syntax"


class RuffQualityOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(default_factory=lambda: ["."], min_length=1)
    exclude: list[str] = Field(default_factory=lambda: ["tests", "test"])
    select: list[str] = Field(min_length=1)  # rule codes or prefixes, e.g. ["D100", "D101"] or ["N8"]
    ignore: list[str] = Field(default_factory=list)
    convention: Literal["google", "numpy", "pep257"] | None = None  # pydocstyle convention
    per_finding: float = Field(1.0, gt=0)  # share of a definition one finding costs
    max_findings: int = Field(25, ge=1, le=500)

    @field_validator("paths", "exclude")
    @classmethod
    def relative(cls, value: list[str]) -> list[str]:
        for path in value:
            if Path(path).is_absolute() or ".." in Path(path).parts:
                raise ValueError(f"{path!r} must be a path relative to the submission")
        return value

    @field_validator("select", "ignore")
    @classmethod
    def rule_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"[A-Z]{1,4}[0-9]{0,4}", code):
                raise ValueError(f"{code!r} is not a ruff rule code or prefix")
        return value

    def argv(self, files: list[str]) -> list[str]:
        argv = [sys.executable, "-I", "-m", "ruff", "check", "--isolated", "--no-cache", "--ignore-noqa",
                "--exit-zero", "--output-format", "json", "--output-file", f"{OUTPUT}/ruff.json",
                "--target-version", TARGET_VERSION, "--select", ",".join(self.select)]
        if self.ignore:
            argv += ["--ignore", ",".join(self.ignore)]
        if self.convention:
            argv += ["--config", f'lint.pydocstyle.convention = "{self.convention}"']
        return [*argv, "--", *files]


def python_files(workspace: Path, options: RuffQualityOptions) -> list[str]:
    """The submission's Python files under `paths`, minus `exclude` (relative, sorted, no symlink)."""
    excluded = [Path(p).parts for p in options.exclude]
    found = set()
    for path in options.paths:
        root = workspace / path
        for file in ([root] if root.is_file() else root.rglob("*.py")):
            relative = file.relative_to(workspace)
            if not file.is_file() or file.is_symlink() or any(relative.parts[:len(e)] == e for e in excluded):
                continue
            found.add(relative.as_posix())
    return sorted(found)


def definitions(text: str) -> int:
    """The module itself and its public classes and functions."""
    return 1 + sum(1 for name in DEFINITION.findall(text) if not name.startswith("_"))


def explanation(code: str, _) -> str | None:
    """What a rule asks, for the learner (ruff's own text is English)."""
    texts = {
        "D100": _("the module has no docstring"),
        "D101": _("the public class has no docstring"),
        "D102": _("the public method has no docstring"),
        "D103": _("the public function has no docstring"),
        "D104": _("the package (`__init__.py`) has no docstring"),
        "D105": _("the magic method has no docstring"),
        "D106": _("the public nested class has no docstring"),
        "D107": _("`__init__` has no docstring"),
        "D419": _("the docstring is empty"),
        "N801": _("the class name is not in CapWords (`LoanService`)"),
        "N802": _("the function name is not in lowercase with underscores (`return_loan`)"),
        "N803": _("the argument name is not in lowercase"),
        "N804": _("the first argument of a class method is not `cls`"),
        "N805": _("the first argument of a method is not `self`"),
        "N806": _("the variable in a function is not in lowercase"),
        "N815": _("the class attribute is in mixedCase"),
        "N816": _("the global variable is in mixedCase"),
        "N818": _("the exception class name does not end with `Error`"),
    }
    return texts.get(code)


def ruff_finding(entry: dict, workspace_prefix: str, _) -> Finding:
    code = str(entry.get("code") or PARSE_ERROR)
    path = str(entry.get("filename", "")).removeprefix(workspace_prefix)
    text = str(entry.get("message", ""))[:300]
    family = code[:1]
    return Finding(
        rule=f"ruff-{code}", severity="low", path=path, line=(entry.get("location") or {}).get("row"),
        message=_("{code}: {explanation} ({text})").format(code=code, explanation=explanation(code, _) or _("rule"),
                                                          text=text),
        references=[f"ruff {code}", "PEP 257" if family == "D" else "PEP 8"],
        help=_("Write a docstring that says what the code guarantees: rights checked, errors raised, value returned.")
        if family == "D" else _("Follow the PEP 8 names: CapWords for classes, lowercase with underscores for "
                                "functions, methods, arguments and variables, UPPERCASE for constants."))


class RuffQualityCheck(Check):
    kind = "ruff-quality"
    Options = RuffQualityOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts: RuffQualityOptions = self.options
        files = python_files(ctx.workspace, opts)
        if not files:
            return CheckOutcome(0.0, message=_("Nothing to analyse: no Python file under {paths}.").format(
                paths=", ".join(opts.paths)))
        counted = {f: definitions((ctx.workspace / f).read_text(encoding="utf-8", errors="replace")) for f in files}
        run, out = ctx.run_sandboxed(opts.argv(files), outputs=["ruff.json"])
        try:
            report = json.loads((out / "ruff.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = None
        if not isinstance(report, list):
            return CheckOutcome(0.0, error=True, message=_("ruff produced no report: {error}").format(
                error=(run.stderr.strip().splitlines() or ["?"])[-1][:300]))
        prefix = f"{WORKSPACE}/"  # ruff reports absolute paths
        findings, unparsed, flagged = [], set(), 0
        for entry in report:
            finding = ruff_finding(entry, prefix, _)
            if finding.rule == f"ruff-{PARSE_ERROR}":
                if finding.path not in unparsed:  # one finding per file, whatever the number of errors
                    unparsed.add(finding.path)
                    findings.insert(0, Finding(
                        rule="ruff-parse-error", severity="medium", path=finding.path, line=finding.line,
                        message=_("File NOT checked: ruff cannot parse it ({reason}).").format(
                            reason=str(entry.get("message", ""))[:200]),
                        help=_("Check that the file is valid Python: every definition in it counts as flagged.")))
                continue
            flagged += 1
            findings.append(finding)
        total = sum(counted.values())
        lost = flagged * opts.per_finding + sum(counted.get(path, 1) for path in unparsed)
        shown = findings[:opts.max_findings]
        if len(findings) > len(shown):
            shown.append(Finding(rule="ruff-more", severity="info", message=_(
                "{count} more finding(s) not listed.").format(count=len(findings) - len(shown))))
        return CheckOutcome(
            max(0.0, 1.0 - lost / total), findings=shown,
            message=_("{flagged} finding(s) for {total} definition(s) in {files} file(s)").format(
                flagged=flagged, total=total, files=len(files)),
            metrics={"files": len(files), "definitions": total, "findings": flagged, "unparsed": len(unparsed)})
