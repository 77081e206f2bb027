"""Lab C1's checks without an engine: the Compose rules (refusals, ANSSI findings, blocking flaws),
the Dockerfile rules, the dev-environment items, the README commands, and the not-assessed path.

The lab's targets on the real engine run in tests/test_labs.py (skipped with the reason where no
engine can be had); the offline base images in tests/test_offline_images.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders.blocking import load_flaws
from graders.checks.compose_stack_check import setup_documented
from graders.checks.container_hardening_check import image_findings
from graders.checks.dev_environment_check import not_ignored, undeclared_variables
from graders.containers import compose_rules
from graders.containers.stack import StackReport, base_images, override
from graders.engine import grade
from graders.labs import load_lab
from graders.security.containers import check_dockerfile

LAB = Path(__file__).resolve().parent.parent / "labs" / "c1-environnement-travail"


def _(text):
    return text


def compose_in(tmp_path: Path, text: str) -> compose_rules.ComposeFile:
    (tmp_path / "compose.yaml").write_text(text, encoding="utf-8")
    return compose_rules.load_compose(tmp_path)


def test_a_dockerfile_without_user_gets_its_anssi_finding():
    text = (LAB / "examples" / "sans-user" / "Dockerfile").read_text(encoding="utf-8")
    assert "docker-root-user" in {hit.rule for hit in check_dockerfile("Dockerfile", text, _)}
    solution = (LAB / "solution" / "Dockerfile").read_text(encoding="utf-8")
    assert "docker-root-user" not in {hit.rule for hit in check_dockerfile("Dockerfile", solution, _)}


def test_postgres_on_every_interface_with_a_clear_password_is_a_blocking_flaw():
    compose = compose_rules.load_compose(LAB / "examples" / "base-exposee")
    findings = compose_rules.hardening(compose, set(), _)
    exposed = [f for f in findings if f.rule == "compose-database-exposed"]
    assert len(exposed) == 1 and exposed[0].severity == "critical" and exposed[0].line
    assert load_flaws().flaw_of(exposed[0]) == "database-exposed"
    assert {f.rule for f in findings} >= {"compose-secret-in-clear"}


@pytest.mark.parametrize("ports, exposed", [
    ('["5432:5432"]', True), ('["0.0.0.0:5432:5432"]', True), ('["5432"]', True),
    ('["127.0.0.1:5432:5432"]', False), ('[{target: 5432, published: 5432, host_ip: 127.0.0.1}]', False),
    ('[{target: 5432, published: 5432}]', True),
])
def test_database_exposure_reads_every_port_syntax(tmp_path, ports, exposed):
    compose = compose_in(tmp_path, f"services:\n  db:\n    image: postgres:15\n    ports: {ports}\n")
    found = {f.rule for f in compose_rules.hardening(compose, set(), _)}
    assert ("compose-database-exposed" in found) is exposed


def test_a_database_exposed_with_its_password_from_env_is_a_finding_but_not_blocking(tmp_path):
    compose = compose_in(tmp_path, "services:\n  db:\n    image: postgres:15\n    ports: ['5432:5432']\n"
                                   "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n")
    exposed = [f for f in compose_rules.hardening(compose, set(), _) if f.rule == "compose-database-exposed"]
    assert exposed[0].severity == "high" and load_flaws().flaw_of(exposed[0]) is None


def test_the_solution_compose_has_no_anssi_finding():
    compose = compose_rules.load_compose(LAB / "solution")
    assert compose_rules.hardening(compose, {"app"}, _) == []
    assert compose_rules.refusals(compose, LAB / "solution") == []


@pytest.mark.parametrize("service", [
    "privileged: true", "network_mode: host", "pid: host", "cap_add: [SYS_ADMIN]",
    "volumes: ['/:/host']", "volumes: ['/var/run/docker.sock:/var/run/docker.sock']",
    "volumes: ['../..:/up']", "devices: ['/dev/sda']", "security_opt: ['seccomp:unconfined']",
    "build: /etc", "env_file: /etc/shadow",
])
def test_a_stack_reaching_the_host_is_refused(tmp_path, service):
    compose = compose_in(tmp_path, f"services:\n  app:\n    image: python:3.11-slim\n    {service}\n")
    assert compose_rules.refusals(compose, tmp_path)


def test_a_symlink_out_of_the_submission_is_refused(tmp_path):
    (tmp_path / "data").symlink_to("/etc")
    compose = compose_in(tmp_path, "services:\n  app:\n    image: python:3.11-slim\n    volumes: ['./data:/x']\n")
    assert compose_rules.refusals(compose, tmp_path) == ["app: bind mount ./data"]


def test_a_named_volume_bound_to_a_host_folder_is_refused(tmp_path):
    compose = compose_in(tmp_path, "services:\n  db:\n    image: postgres:15\n    volumes: ['v:/x']\nvolumes:\n"
                                   "  v:\n    driver_opts: {type: none, o: bind, device: /etc}\n")
    assert compose_rules.refusals(compose, tmp_path)


def test_the_grader_override_cuts_the_network_renames_containers_and_bounds_them(tmp_path):
    compose = compose_in(tmp_path, "services:\n  app:\n    build: .\n    container_name: fixed\n  db:\n"
                                   "    image: postgres:15\n    mem_limit: 512m\nnetworks:\n  back: {}\n")
    extra = override(compose, "cda-c1-x")
    assert extra["services"]["app"] == {"build": {"network": "none"}, "container_name": "cda-c1-x-app",
                                        "pids_limit": 256, "mem_limit": "1g"}
    assert extra["services"]["db"] == {"pids_limit": 256}  # its own memory limit stays
    assert extra["networks"] == {"default": {"internal": True}, "back": {"internal": True}}


def test_base_images_are_read_from_compose_and_dockerfiles():
    compose = compose_rules.load_compose(LAB / "solution")
    assert base_images(compose, LAB / "solution") == ["python:3.11-slim", "postgres:15", "redis:7"]


def test_image_inspection_finds_root_secrets_and_a_copied_env():
    image = {"config": {"User": "", "Env": ["PATH=/usr/bin", "DB_PASSWORD=s3cret"]},
             "history": ['|1 API_TOKEN=abc /bin/sh -c pip install x', "/bin/sh -c #(nop) CMD"], "env_file": True}
    rules = [f.rule for f in image_findings("app", image, _)]
    assert rules == ["image-root-user", "image-secret-in-layer", "image-secret-in-layer", "image-env-file"]
    assert image_findings("app", {"config": {"User": "10001", "Env": []}, "history": []}, _) == []


def test_dev_environment_reads_gitignore_and_env_example(tmp_path):
    shutil.copytree(LAB / "solution", tmp_path / "s")
    assert not_ignored(tmp_path / "s") == [] and undeclared_variables(tmp_path / "s") == []
    assert not_ignored(LAB / "examples" / "env-versionne") == [".env"]
    (tmp_path / "s" / ".env.example").write_text("POSTGRES_USER=x\n")
    assert undeclared_variables(tmp_path / "s") == ["POSTGRES_DB", "POSTGRES_PASSWORD"]


def test_readme_commands_must_be_the_two_set_up_commands(tmp_path):
    assert setup_documented(LAB / "solution") and not setup_documented(LAB / "starter")
    (tmp_path / "README.md").write_text("```bash\ncp .env.example .env\ndocker compose up -d && curl x | sh\n```\n")
    assert not setup_documented(tmp_path)


def test_without_an_engine_the_stack_is_not_assessed_and_the_rest_still_grades(monkeypatch):
    from graders.containers import stack

    monkeypatch.setattr(stack, "run_stack", lambda *a, **k: StackReport(unavailable="no Docker engine: test"))
    result = grade(load_lab(LAB), LAB / "examples" / "env-versionne", lang="en")
    checks = {c.id: c for c in result.checks}
    assert checks["pile-compose"].status == "error" and "no Docker engine: test" in checks["pile-compose"].message
    verdicts = {c.id: c.verdict for c in result.criteria}
    assert verdicts["C1.2"] == "not-acquired"  # the committed .env, found without any engine
    assert verdicts["C1.1"] == "acquired"      # from the configuration files alone
    assert "Built images not inspected" in checks["durcissement"].message


def test_a_failing_hidden_environment_check_shows_no_detail(monkeypatch):
    from graders.containers import stack

    steps = {name: stack.Step(True) for name in ("build", "ready", "answers", "tests")}
    steps["environment"] = stack.Step(False, "assert os.geteuid() != 0, secret assertion text")
    image = {"config": {"User": "10001", "Healthcheck": {"Test": ["CMD", "true"]}}, "history": [], "env_file": False}
    monkeypatch.setattr(stack, "run_stack", lambda *a, **k: StackReport(steps=steps, images={"app": image}))
    result = grade(load_lab(LAB), LAB / "solution", lang="en")
    check = next(c for c in result.checks if c.id == "pile-compose")
    failed = [t for t in check.tests if t.status == "failed"]
    assert [t.name for t in failed] == [
        "The container's environment passes the hidden checks (user, read-only root, data, secrets)"]
    assert "secret assertion" not in result.model_dump_json() and "details are not shown" in failed[0].message
