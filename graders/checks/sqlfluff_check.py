"""`sqlfluff` check: SQL style (sqlfluff, PostgreSQL dialect) on the submission's SQL files.

sqlfluff runs in the sandbox (its templaters can execute code named by a configuration file) with
the lab's configuration only: the submission's `.sqlfluff` files and `-- noqa` comments are ignored.
psql variables (`:"app_role"`) are replaced through the placeholder templater. Points are lost per
violation; parse errors cost more (the file is not understood).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding
from graders.sandbox.base import OUTPUT, TRUSTED


class SqlfluffOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(default_factory=lambda: ["sql"], min_length=1)
    dialect: str = Field("postgres", pattern=r"^[a-z0-9_]+$")
    max_line_length: int = Field(120, ge=40, le=400)
    exclude_rules: list[str] = Field(default_factory=list)
    placeholders: dict[str, str] = Field(default_factory=dict)
    penalty: float = Field(0.5, ge=0)
    parse_error_penalty: float = Field(2, ge=0)
    max_findings: int = Field(25, ge=1, le=500)

    @field_validator("paths")
    @classmethod
    def relative(cls, value: list[str]) -> list[str]:
        for path in value:
            if Path(path).is_absolute() or ".." in Path(path).parts:
                raise ValueError(f"{path!r} must be a path relative to the submission")
        return value

    @field_validator("exclude_rules")
    @classmethod
    def rule_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not code.replace("_", "").replace(".", "").isalnum():
                raise ValueError(f"{code!r} is not a sqlfluff rule code")
        return value

    @field_validator("placeholders")
    @classmethod
    def placeholder_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name, replacement in value.items():
            if not name.isidentifier() or "\n" in replacement:
                raise ValueError(f"bad placeholder {name!r}")
        return value

    def config(self) -> str:
        lines = ["[sqlfluff]", f"dialect = {self.dialect}", f"max_line_length = {self.max_line_length}",
                 "templater = placeholder"]
        if self.exclude_rules:
            lines.append("exclude_rules = " + ",".join(self.exclude_rules))
        lines += ["", "[sqlfluff:templater:placeholder]", "param_style = colon_optional_quotes"]
        lines += [f"{name} = {value}" for name, value in self.placeholders.items()]
        return "\n".join(lines) + "\n"


class SqlfluffCheck(Check):
    kind = "sqlfluff"
    Options = SqlfluffOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts: SqlfluffOptions = self.options
        files = sorted({str(p.relative_to(ctx.workspace))
                        for path in opts.paths
                        for p in ([ctx.workspace / path] if (ctx.workspace / path).is_file() else (ctx.workspace / path).rglob("*.sql"))
                        if p.is_file() and not p.is_symlink()})
        if not files:
            return CheckOutcome(0.0, message=_("Nothing to analyse: no SQL file under {paths}.").format(paths=", ".join(opts.paths)))
        config_dir = Path(ctx.scratch) / "sqlfluff-config"
        config_dir.mkdir(exist_ok=True)
        (config_dir / "sqlfluff.cfg").write_text(opts.config(), encoding="utf-8")
        run, out = ctx.run_sandboxed(
            [sys.executable, "-I", "-m", "sqlfluff", "lint", *files, "--config", f"{TRUSTED}/config/sqlfluff.cfg",
             "--ignore-local-config", "--disable-noqa", "--library-path", "none", "--format", "json", "--nofail",
             "--disable-progress-bar", "--processes", "1", "--write-output", f"{OUTPUT}/lint.json"],
            trusted={"config": config_dir}, outputs=["lint.json"])
        try:
            report = json.loads((out / "lint.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return CheckOutcome(0.0, error=True, message=_("sqlfluff produced no report: {error}").format(
                error=(run.stderr.strip().splitlines() or ["?"])[-1][:300]))
        findings: list[Finding] = []
        lost = 0.0
        count = 0
        for entry in report if isinstance(report, list) else []:
            path = str(entry.get("filepath", "")).removeprefix("./")
            for violation in entry.get("violations", []):
                if violation.get("warning"):
                    continue
                code = str(violation.get("code", "?"))
                parse_error = code in ("PRS", "TMP")
                lost += opts.parse_error_penalty if parse_error else opts.penalty
                count += 1
                if len(findings) < opts.max_findings:
                    findings.append(Finding(
                        rule=f"sqlfluff-{code}", severity="medium" if parse_error else "low",
                        message=_("SQL style {code}: {text}").format(code=code, text=str(violation.get("description", ""))[:300]),
                        path=path, line=violation.get("start_line_no"),
                        references=[f"sqlfluff {code}"],
                        help=_("`sqlfluff fix --dialect {dialect} {path}` corrects most layout rules.").format(
                            dialect=opts.dialect, path=path) if not parse_error else None))
        if count > len(findings):
            findings.append(Finding(rule="sqlfluff-more", severity="info", message=_(
                "{count} more style violation(s) not listed.").format(count=count - len(findings))))
        fraction = max(0.0, 1.0 - lost / ctx.spec.points)
        return CheckOutcome(fraction, findings=findings, message=_("{count} style violation(s)").format(count=count))
