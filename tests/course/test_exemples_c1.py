"""Worked example of C1 (course/competences/c1.md): the médiathèque's Compose stack and Dockerfile.

Files of course/exemples/c1/: compose.yaml, Dockerfile, dockerignore, env.example, gitignore,
gitattributes, pre-commit-config.yaml. They are checked with the grader's own rules (the
container-hardening and container-lint checks of the lab c1-environnement-travail): no Docker
engine, only the static part, plus hadolint with the grader's configuration.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from graders.checks.container_lint_check import schema_findings
from graders.containers.compose_rules import hardening, load_compose, refusals
from graders.i18n import gettext_for
from graders.security.containers import check_dockerfile
from graders.security.runner import TOOLS_DIR, tool_path

EXAMPLE = Path(__file__).resolve().parents[2] / "course" / "exemples" / "c1"
_ = gettext_for("fr")
# the findings that fail an ANSSI recommendation (graders/checks/container_hardening_check.py)
ANSSI_RULES = {"compose-privileged", "compose-capabilities-kept", "compose-writable-root", "compose-no-limits",
               "compose-secret-in-clear", "compose-database-exposed", "compose-no-healthcheck",
               "compose-depends-not-healthy", "compose-data-not-in-volume"}


def copy_example(tmp_path: Path) -> Path:
    """The example laid out as in a learner's repository (dot files under their real names)."""
    for name in ("compose.yaml", "Dockerfile"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    for name in ("dockerignore", "env.example", "gitignore", "gitattributes", "pre-commit-config.yaml"):
        shutil.copy(EXAMPLE / name, tmp_path / f".{name}")
    (tmp_path / "db" / "init").mkdir(parents=True)
    return tmp_path


def test_compose_follows_the_anssi_recommendations(tmp_path):
    root = copy_example(tmp_path)
    compose = load_compose(root)
    assert set(compose.services) == {"app", "db", "redis"}
    assert refusals(compose, root) == []
    # the app's health check is the Dockerfile's HEALTHCHECK (the grader reads it in the built image)
    assert "HEALTHCHECK" in (root / "Dockerfile").read_text(encoding="utf-8")
    assert [f.rule for f in hardening(compose, {"app"}, _) if f.rule in ANSSI_RULES] == []
    assert schema_findings(compose.rel, compose.data, _) == []
    db, app = compose.services["db"], compose.services["app"]
    assert "ports" not in db  # PostgreSQL is not published at all
    assert app["read_only"] is True and app["cap_drop"] == ["ALL"] and "/tmp" in app["tmpfs"]
    assert all(s["depends_on"][d]["condition"] == "service_healthy" for s in [app] for d in ("db", "redis"))


def test_compose_rules_catch_the_typical_mistakes(tmp_path):
    root = copy_example(tmp_path)
    data = yaml.safe_load((root / "compose.yaml").read_text(encoding="utf-8"))
    data["services"]["db"]["ports"] = ["5432:5432"]
    data["services"]["db"]["environment"]["POSTGRES_PASSWORD"] = "Mediatheque2031!"
    del data["services"]["app"]["read_only"]
    (root / "compose.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    rules = {f.rule for f in hardening(load_compose(root), {"app"}, _)}
    assert {"compose-database-exposed", "compose-secret-in-clear", "compose-writable-root"} <= rules


def test_dockerfile_runs_as_an_unprivileged_user():
    text = (EXAMPLE / "Dockerfile").read_text(encoding="utf-8")
    assert [hit.rule for hit in check_dockerfile("Dockerfile", text, _)] == []
    rootful = text.replace("USER 10001\n", "")
    assert "docker-root-user" in {hit.rule for hit in check_dockerfile("Dockerfile", rootful, _)}


def test_hadolint_with_the_graders_configuration():
    exe = tool_path("hadolint")
    if exe is None:
        pytest.skip("hadolint is not installed (make install)")
    run = subprocess.run([exe, "--no-fail", "--no-color", "-c", str(TOOLS_DIR / "hadolint.yaml"), "-f", "json",
                          str(EXAMPLE / "Dockerfile")], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(run.stdout) == []


def test_secrets_stay_out_of_the_repository():
    ignored = (EXAMPLE / "gitignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and ".venv/" in ignored and "__pycache__/" in ignored
    assert ".env" in (EXAMPLE / "dockerignore").read_text(encoding="utf-8").split()
    assert "* text=auto eol=lf" in (EXAMPLE / "gitattributes").read_text(encoding="utf-8")
    declared = {line.split("=", 1)[0] for line in (EXAMPLE / "env.example").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")}
    compose = (EXAMPLE / "compose.yaml").read_text(encoding="utf-8")
    used = {name for name in ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB") if "${" + name + "}" in compose}
    assert used <= declared and "SECRET_KEY" in declared
    hooks = yaml.safe_load((EXAMPLE / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    ids = {hook["id"] for repo in hooks["repos"] for hook in repo["hooks"]}
    assert {"ruff", "detect-secrets"} <= ids
