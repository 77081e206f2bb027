"""`docker-image` check: the submission's Dockerfile is built and run, and its HEALTHCHECK turns healthy.

On a real Docker engine (the one that answers, else the project's private dockerd), with no
registry: the base images the Dockerfile names come from `graders.containers.offline_images`
(pulled where Docker Hub answers, else built from the host's files with their usual tags). The
build has no network (`network_mode="none"`), a memory cap and a time limit; the container runs
with no network, every capability dropped, `no-new-privileges`, a read-only root file system, a
memory, CPU and process cap. A build past `build_timeout_s` is stopped (the client hangs up). Its own HEALTHCHECK command is run on a short schedule until it reports
healthy (or the time runs out). Both image and container are removed afterwards.

Points: the image builds (a third), its final user is not root (a third), it becomes healthy (a
third; an image without HEALTHCHECK cannot). Where no engine can be had, the check is an error
with the reason (the other checks still grade).

    [[checks]]
    kind = "docker-image"
    [checks.options]
    dockerfile = "Dockerfile"
    env = { DATABASE_URL = "postgresql://app@/app?host=/nonexistent", REDIS_URL = "redis://127.0.0.1:6379/0" }
"""

from __future__ import annotations

import secrets
import time

from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.results import Finding

NANO = 1_000_000_000


class DockerImageOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dockerfile: str = "Dockerfile"
    build_timeout_s: int = Field(300, ge=10)
    health_timeout_s: int = Field(60, ge=5)
    memory_mb: int = Field(512, ge=64)
    env: dict[str, str] = Field(default_factory=dict)  # SECRET_KEY is added, random


def base_images(text: str) -> list[str]:
    """The registry images the Dockerfile's stages start from (not its own stages, not scratch)."""
    from graders.security.containers import parse

    _instructions, stages = parse(text)
    aliases = {s.alias.lower() for s in stages if s.alias}
    return sorted({s.image for s in stages if s.image and s.image.lower() not in aliases
                   and s.image.lower() != "scratch" and "$" not in s.image})


def is_root(user: str) -> bool:
    return user.split(":", 1)[0].strip() in ("", "root", "0")


def build_errors(stream) -> list[str]:
    """The error lines of a `docker build` JSON stream (consumed to its end)."""
    return [chunk["error"].strip() for chunk in stream if isinstance(chunk, dict) and chunk.get("error")]


class DockerImageCheck(Check):
    kind = "docker-image"
    Options = DockerImageOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        from graders.sandbox.docker_engine import docker_engine

        _ = ctx._
        dockerfile = ctx.workspace / self.options.dockerfile
        if not dockerfile.is_file() or dockerfile.is_symlink():
            return CheckOutcome(0.0, findings=[Finding(rule="docker-no-dockerfile", severity="high",
                                                       path=self.options.dockerfile,
                                                       message=_("No document {file}.").format(file=self.options.dockerfile))])
        try:
            with docker_engine() as url:
                return self.grade(ctx, url, dockerfile.read_text(encoding="utf-8", errors="replace"))
        except RuntimeError as exc:
            return CheckOutcome(0.0, error=True, message=_("No Docker engine here: {reason}").format(reason=exc))

    def grade(self, ctx: CheckContext, url: str, text: str) -> CheckOutcome:
        import docker

        from graders.containers.offline_images import ensure_images
        from graders.errors import GraderUnavailable

        _ = ctx._
        opts = self.options
        client = docker.DockerClient(base_url=url, timeout=opts.build_timeout_s)
        tag = f"cda-docker-image-check:{secrets.token_hex(6)}"
        findings: list[Finding] = []
        try:
            try:
                ensure_images(client, base_images(text))
            except GraderUnavailable as exc:
                return CheckOutcome(0.0, error=True, message=str(exc))
            try:
                errors = build_errors(client.api.build(
                    path=str(ctx.workspace), dockerfile=opts.dockerfile, tag=tag, network_mode="none", rm=True,
                    forcerm=True, pull=False, decode=True, timeout=opts.build_timeout_s,
                    container_limits={"memory": opts.memory_mb << 20, "memswap": opts.memory_mb << 20}))
            except (docker.errors.DockerException, OSError) as exc:  # a build past its time, a bad context
                errors = [_("the build was stopped ({reason})").format(reason=type(exc).__name__)]
            if errors:
                return CheckOutcome(0.0, findings=[Finding(
                    rule="docker-build-failed", severity="high", path=opts.dockerfile,
                    message=_("The image does not build with no network: {error}").format(error=errors[-1][:500]),
                    help=_("Dependencies must be installable offline: pin the versions the lab names."))],
                    message=_("build failed"))
            config = client.images.get(tag).attrs.get("Config") or {}
            score = 1 / 3
            if is_root(config.get("User") or ""):
                findings.append(Finding(rule="docker-image-root", severity="high", path=opts.dockerfile,
                                        references=["CWE-250"],
                                        message=_("The built image runs as root (no USER, or USER root).")))
            else:
                score += 1 / 3
            healthy, detail = self.health(client, tag, config, ctx)
            if healthy:
                score += 1 / 3
            else:
                findings.append(Finding(rule="docker-not-healthy", severity="high", path=opts.dockerfile,
                                        message=detail))
            return CheckOutcome(score, findings=findings, message=_("image built; healthy: {healthy}").format(
                healthy=_("yes") if healthy else _("no")))
        finally:
            try:
                client.images.remove(tag, force=True)
            except Exception:  # never built, or already gone
                pass
            client.close()

    def health(self, client, tag: str, config: dict, ctx: CheckContext) -> tuple[bool, str]:
        """Runs the image locked down, its HEALTHCHECK test every second: (healthy, why not)."""
        _ = ctx._
        test = (config.get("Healthcheck") or {}).get("Test") or []
        if not test or test[0] == "NONE":
            return False, _("The image has no HEALTHCHECK: nothing tells that it answers.")
        opts = self.options
        env = {**opts.env, "SECRET_KEY": secrets.token_hex(16)}
        container = client.containers.run(
            tag, detach=True, network_mode="none", cap_drop=["ALL"], security_opt=["no-new-privileges"],
            read_only=True, tmpfs={"/tmp": "size=16m"}, mem_limit=f"{opts.memory_mb}m", pids_limit=128,
            nano_cpus=NANO,
            environment=env, healthcheck={"test": test, "interval": NANO, "timeout": 5 * NANO, "retries": 3,
                                          "start_period": 0})
        try:
            deadline = time.monotonic() + opts.health_timeout_s
            state: dict = {}
            while time.monotonic() < deadline:
                container.reload()
                state = container.attrs.get("State") or {}
                status = (state.get("Health") or {}).get("Status")
                if status == "healthy":
                    return True, ""
                if status == "unhealthy" or state.get("Status") == "exited":
                    break
                time.sleep(0.5)
            logs = container.logs(tail=5).decode("utf-8", errors="replace").strip().splitlines()
            return False, _("The container did not become healthy (state: {state}); last output: {logs}").format(
                state=(state.get("Health") or {}).get("Status") or state.get("Status"), logs=" | ".join(logs)[-500:])
        finally:
            container.remove(force=True)
