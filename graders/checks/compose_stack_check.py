"""`compose-stack` check: the learner's Compose stack built offline and started on a real Docker engine.

The run itself is `graders.containers.stack.run_stack`, shared with the `container-hardening` check
(one build per submission, `ctx.once`). Items: the stack builds with no network; every service has
a health check and becomes healthy; the application answers a catalogue search (PostgreSQL behind
it); the lab's visible tests (the grader's copy) pass inside the app container; the README's two
set-up commands are the ones the grader ran. With no engine (or no Compose) the check is not
assessed, with the reason; a file asking for host access is not started and scores zero.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.containers.compose_rules import load_compose
from graders.containers.items import Item, score
from graders.results import Finding

SETUP_COMMANDS = (re.compile(r"^cp\s+\.env\.example\s+\.env$"),
                  re.compile(r"^(docker\s+compose|docker-compose)\s+up(\s+(-d|--detach|--build|--wait|-d\s*--build))*$"))


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    build: float = Field(8, ge=0)
    healthy: float = Field(8, ge=0)
    answers: float = Field(8, ge=0)
    environment: float = Field(8, ge=0)
    tests: float = Field(4, ge=0)
    readme: float = Field(4, ge=0)


class ComposeStackOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tests: str = "grader/tests"          # the lab's copy of the visible tests, run inside the app container
    hidden_tests: str = "grader/environnement"  # hidden tests of the container's environment, run there too
    stack_criteria: list[str] = Field(default_factory=lambda: ["C1.3"])
    tests_criteria: list[str] = Field(default_factory=lambda: ["C1.1"])
    readme_criteria: list[str] = Field(default_factory=lambda: ["C1.4"])
    weights: Weights = Field(default_factory=Weights)


def shared_stack(ctx: CheckContext, tests: str, hidden: str = "grader/environnement"):
    """The stack report of this submission, computed once for every check that asks."""
    from graders.containers.stack import run_stack

    return ctx.once(("compose-stack", tests), lambda: run_stack(
        ctx.workspace, ctx.lab.path / tests, ctx.scratch, hidden=ctx.lab.path / hidden))


def readme_commands(root) -> list[str]:
    """The shell commands of the README's fenced code blocks, one per line."""
    readme = next((root / n for n in ("README.md", "README.rst", "README") if (root / n).is_file()), None)
    if readme is None:
        return []
    text = readme.read_text(encoding="utf-8", errors="replace")
    commands = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        commands += [line.strip().removeprefix("$ ").strip() for line in block.splitlines()
                     if line.strip() and not line.strip().startswith("#")]
    return commands


def setup_documented(root) -> bool:
    commands = readme_commands(root)
    return all(any(p.match(c) for c in commands) for p in SETUP_COMMANDS)


def health_declared(root, report) -> bool:
    compose = load_compose(root)
    if compose is None:
        return False
    return all(service.get("healthcheck") or (report.images.get(name, {}).get("config") or {}).get("Healthcheck")
               for name, service in compose.services.items())


class ComposeStackCheck(Check):
    kind = "compose-stack"
    Options = ComposeStackOptions

    @classmethod
    def declared_criteria(cls, options: ComposeStackOptions) -> list[str]:
        return [*options.stack_criteria, *options.tests_criteria, *options.readme_criteria]

    @classmethod
    def validate_lab(cls, options, lab, spec) -> None:
        for key in ("tests", "hidden_tests"):
            if not any((lab.path / getattr(options, key)).glob("test_*.py")):
                raise ValueError(f"{key}: no test_*.py in {getattr(options, key)}")

    @staticmethod
    def unavailable_reason() -> str | None:
        """Why this check cannot be assessed on this machine (tests skip with it), else None."""
        from graders.containers.stack import compose_command
        from graders.sandbox.docker_engine import cannot_start_reason, existing_engine

        if compose_command() is None:
            return "Docker Compose not found (apt install docker-compose)"
        return None if existing_engine() else cannot_start_reason()

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _, o = ctx._, self.options
        report = shared_stack(ctx, o.tests, o.hidden_tests)
        if report.unavailable:
            return CheckOutcome(0.0, error=True, message=_("Not assessed here: {reason}.").format(reason=report.unavailable))
        findings = []
        if report.refused:
            findings.append(Finding(
                rule="compose-refused", severity="high", path=(load_compose(ctx.workspace) or None) and
                load_compose(ctx.workspace).rel,
                message=_("The stack was not started: it asks for access to the host ({options}).").format(
                    options="; ".join(report.refused[:5])),
                help=_("Remove these options: a development stack needs none of them."), references=["CWE-269"]))
        steps, w = report.steps, o.weights

        def step(name: str, label: str, weight: float, criteria: list[str]) -> Item:
            found = steps.get(name)
            return Item(label, weight, criteria, bool(found and found.ok), found.detail[:600] if found and not found.ok
                        and found.detail else None)

        hidden = step("environment", _("The container's environment passes the hidden checks (user, read-only root, "
                                      "data, secrets)"), w.environment, o.stack_criteria)
        if not hidden.ok and hidden.message:
            hidden.message = _("Hidden checks failed inside the application container (details are not shown).")
        healthy = step("ready", _("Every service has a health check and becomes healthy"), w.healthy, o.stack_criteria)
        if healthy.ok and not health_declared(ctx.workspace, report):
            healthy.ok, healthy.message = False, _("Services without a health check: they are only known to run.")
        readme_ok = setup_documented(ctx.workspace) and bool(steps.get("build") and steps["build"].ok)
        items = [
            step("build", _("The stack builds with no network and starts"), w.build, o.stack_criteria),
            healthy,
            step("answers", _("The application answers a catalogue search (PostgreSQL behind it)"), w.answers,
                 o.stack_criteria),
            hidden,
            step("tests", _("The visible tests pass inside the application container"), w.tests, o.tests_criteria),
            Item(_("The README's two set-up commands work (cp .env.example .env; docker compose up -d --build)"),
                 w.readme, o.readme_criteria, readme_ok,
                 None if readme_ok else _("A fenced code block of the README must hold both commands.")),
        ]
        fraction, tests = score(items, ctx.spec.points)
        timings = ", ".join(f"{k} {v:.1f} s" for k, v in report.durations.items())
        return CheckOutcome(fraction, findings=findings, tests=tests, metrics={"durations_s": report.durations},
                            message=_("{passed}/{total} steps passed").format(
                                passed=sum(i.ok for i in items), total=len(items)) + (f" ({timings})" if timings else ""))
