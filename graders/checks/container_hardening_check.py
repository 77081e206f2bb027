"""`container-hardening` check: the ANSSI recommendations for containers, on the files and on the built images.

Static part (always): the Compose file (`graders.containers.compose_rules.hardening`) and the
Dockerfiles (`graders.security.containers.check_dockerfile`: final USER, secrets in ENV/ARG...).
Image part (when the stack could be built, shared with `compose-stack`): the built image's user,
its environment and history (`docker history`: build arguments that look like secrets) and
whether a `.env` file was copied into it. Each recommendation is an item; its findings say why.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.compose_stack_check import shared_stack
from graders.containers.compose_rules import ANSSI, hardening, load_compose, role
from graders.containers.items import Item, score
from graders.results import Finding
from graders.security.containers import NOT_A_SECRET_NAME, SECRET_NAME, check_dockerfile

BUILD_ARG = re.compile(r"^\|\d+\s+(.*?)\s+/bin/sh -c", re.S)
# each recommendation: the finding rules that fail it
RECOMMENDATIONS = {
    "non-root": ("docker-root-user", "image-root-user"),
    "privileges": ("compose-privileged", "compose-capabilities-kept", "compose-refused"),
    "read-only": ("compose-writable-root",),
    "limits": ("compose-no-limits",),
    "secrets": ("compose-secret-in-clear", "docker-secret-in-layer", "image-secret-in-layer", "image-env-file"),
    "exposure": ("compose-database-exposed",),
}


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    non_root: float = Field(8, ge=0, alias="non-root")
    privileges: float = Field(5, ge=0)
    read_only: float = Field(3, ge=0, alias="read-only")
    limits: float = Field(4, ge=0)
    secrets: float = Field(6, ge=0)
    exposure: float = Field(4, ge=0)


class HardeningOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tests: str = "grader/tests"  # the same run as the compose-stack check's (shared)
    hidden_tests: str = "grader/environnement"
    weights: Weights = Field(default_factory=Weights)


def image_findings(name: str, image: dict, _) -> list[Finding]:
    findings = []
    config = image.get("config") or {}
    if str(config.get("User") or "root").split(":")[0] in ("", "root", "0"):
        findings.append(Finding(rule="image-root-user", severity="medium", confidence="high",
                                message=_("The built image of {name} runs as root (no USER in its configuration).")
                                .format(name=name), references=["CWE-250", ANSSI],
                                help=_("Create an unprivileged user and end the Dockerfile with USER.")))
    for entry in config.get("Env") or []:
        key, _sep, value = entry.partition("=")
        if SECRET_NAME.search(key) and not NOT_A_SECRET_NAME.search(key) and value:
            findings.append(Finding(rule="image-secret-in-layer", severity="high", confidence="high",
                                    message=_("The built image of {name} carries {key} in its configuration "
                                              "(docker inspect shows it).").format(name=name, key=key),
                                    references=["CWE-798", "CWE-538", ANSSI],
                                    help=_("Pass secrets at run time (.env, Compose secrets), never with ENV.")))
    for layer in image.get("history") or []:
        match = BUILD_ARG.match(layer)
        for pair in (match.group(1).split() if match else []):
            key, _sep, value = pair.partition("=")
            if SECRET_NAME.search(key) and not NOT_A_SECRET_NAME.search(key) and value:
                findings.append(Finding(rule="image-secret-in-layer", severity="high", confidence="high",
                                        message=_("docker history of {name} shows the build argument {key}.").format(
                                            name=name, key=key), references=["CWE-798", "CWE-538", ANSSI],
                                        help=_("Use RUN --mount=type=secret, never ARG, for a build-time secret.")))
    if image.get("env_file"):
        findings.append(Finding(rule="image-env-file", severity="high", confidence="high",
                                message=_("The .env file (secrets) was copied into the image of {name}.").format(name=name),
                                references=["CWE-538", ANSSI],
                                help=_("List .env in .dockerignore, or copy only the folders the image needs.")))
    return findings


def dockerfiles(root, compose) -> list[str]:
    found = []
    for service in compose.services.values() if compose else []:
        build = service.get("build")
        if build is None:
            continue
        context = build if isinstance(build, str) else build.get("context", ".")
        name = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        rel = f"{str(context).strip('./') + '/' if str(context).strip('./') else ''}{name}"
        if (root / rel).is_file():
            found.append(rel)
    if not found and (root / "Dockerfile").is_file():
        found.append("Dockerfile")
    return list(dict.fromkeys(found))


class ContainerHardeningCheck(Check):
    kind = "container-hardening"
    Options = HardeningOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _, root = ctx._, ctx.workspace
        compose = load_compose(root)
        findings: list[Finding] = []
        for rel in dockerfiles(root, compose):
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
            findings += [hit.to_finding(_) for hit in check_dockerfile(rel, text, _)
                         if hit.rule not in ("docker-no-healthcheck", "docker-unpinned-image")]
        note = None
        if compose is None or not compose.services:
            findings.append(Finding(rule="compose-missing", severity="medium", message=_(
                "No compose.yaml with services at the root of the submission: nothing to deploy.")))
        else:
            report = shared_stack(ctx, self.options.tests, self.options.hidden_tests)
            healthy = {n for n, image in report.images.items() if (image.get("config") or {}).get("Healthcheck")}
            findings += hardening(compose, healthy, _)  # health and volume findings inform; items score the rest
            if report.unavailable:
                note = _("Built images not inspected: {reason}.").format(reason=report.unavailable)
            for name, image in report.images.items():
                own = image_findings(name, image, _)
                if any(f.rule == "docker-root-user" for f in findings):
                    own = [f for f in own if f.rule != "image-root-user"]
                findings += own
            for problem in report.refused:
                findings.append(Finding(rule="compose-refused", severity="high", message=_(
                    "Option giving access to the host: {option}.").format(option=problem), references=["CWE-269", ANSSI]))
        if compose is None or not compose.services:
            fraction, tests = 0.0, []
        else:
            rules = {f.rule for f in findings}
            w = self.options.weights
            weights = {"non-root": w.non_root, "privileges": w.privileges, "read-only": w.read_only,
                       "limits": w.limits, "secrets": w.secrets, "exposure": w.exposure}
            labels = {"non-root": _("Processes run as an unprivileged user"),
                      "privileges": _("No privileged container, capabilities dropped"),
                      "read-only": _("Read-only root file system where possible"),
                      "limits": _("Resource limits on every service"),
                      "secrets": _("No secret in the Compose file nor in an image layer"),
                      "exposure": _("No database published on every interface")}
            items = [Item(labels[key], weights[key], ctx.spec.criteria, not (rules & set(RECOMMENDATIONS[key])))
                     for key in RECOMMENDATIONS]
            fraction, tests = score(items, ctx.spec.points)
            tests = [t.model_copy(update={"criteria": []}) for t in tests]  # the check's criteria cover them
        message = _("{count} finding(s)").format(count=len(findings)) + (f" — {note}" if note else "")
        if compose is not None and not any(role(s) == "built" for s in compose.services.values()):
            message += " — " + _("no service is built from the submission")
        return CheckOutcome(fraction, findings=findings, tests=tests, message=message)
