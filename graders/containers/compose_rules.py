"""A learner's Compose file read as data: what the grader refuses to run, and the ANSSI findings.

Pure functions of the parsed file (PyYAML, safe loader) and the submission folder; nothing here
runs anything. `refusals()` lists the options that would reach the host (privileged, host
namespaces, bind mounts out of the submission, devices, extra capabilities...): such a stack is
never started. `hardening()` checks the ANSSI recommendations for container deployment: non-root,
no `privileged`, capabilities dropped, read-only root where possible, resource limits, health
checks, named volumes for data, secrets out of the file, no database published on every interface.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from graders.results import Finding
from graders.security.containers import NOT_A_SECRET_NAME, SECRET_NAME

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
DATABASE_IMAGES = ("postgres", "mysql", "mariadb", "mongo", "redis", "valkey")
SAFE_CAPABILITIES = {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID", "NET_BIND_SERVICE", "KILL", "FSETID"}
HOST_MODES = ("network_mode", "pid", "ipc", "uts", "userns_mode", "cgroup")
REFUSED_KEYS = ("privileged", "devices", "device_cgroup_rules", "sysctls", "cgroup_parent", "runtime", "volumes_from",
                "extends", "isolation", "security_opt_unconfined")
LOOPBACK = ("127.", "::1", "[::1]", "localhost")
ANSSI = "ANSSI, recommandations de sécurité relatives au déploiement de conteneurs Docker (ANSSI-FT-082)"


@dataclass
class ComposeFile:
    rel: str
    text: str
    data: dict

    def line_of(self, needle: str, after: str | None = None) -> int | None:
        lines = self.text.splitlines()
        start = next((i for i, line in enumerate(lines) if after and re.match(rf"\s*{re.escape(after)}\s*:", line)), 0)
        return next((i + 1 for i, line in enumerate(lines) if i >= start and needle in line), None)

    @property
    def services(self) -> dict[str, dict]:
        found = self.data.get("services")
        return {str(k): v for k, v in found.items() if isinstance(v, dict)} if isinstance(found, dict) else {}


def load_compose(root: Path) -> ComposeFile | None:
    """The submission's Compose file (the usual names, at its root); None when absent or not a mapping."""
    for name in COMPOSE_FILES:
        path = root / name
        if path.is_file() and not path.is_symlink():
            text = path.read_text(encoding="utf-8", errors="replace")
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError:
                data = None
            return ComposeFile(name, text, data if isinstance(data, dict) else {})
    return None


def role(service: dict) -> str:
    """`database` for a known database image, `built` for a service built from the submission, else `other`."""
    image = str(service.get("image") or "").rsplit("/", 1)[-1].split(":")[0]
    if image in DATABASE_IMAGES:
        return "database"
    return "built" if service.get("build") is not None else "other"


def _inside(root: Path, relative: str) -> bool:
    if os.path.isabs(relative) or relative.startswith("~"):
        return False
    target = os.path.realpath(root / relative)
    return target == os.path.realpath(root) or target.startswith(os.path.realpath(root) + os.sep)


def _bind_sources(service: dict) -> list[str]:
    sources = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            parts = volume.split(":")
            if len(parts) >= 2 and (parts[0].startswith((".", "/", "~")) or "$" in parts[0]):
                sources.append(parts[0])
        elif isinstance(volume, dict) and volume.get("type") == "bind":
            sources.append(str(volume.get("source", "")))
    return sources


def refusals(compose: ComposeFile, root: Path) -> list[str]:
    """Why this stack must not be started on the grader's engine (empty: it may be)."""
    problems = []
    for name, service in compose.services.items():
        for key in REFUSED_KEYS:
            if service.get(key):
                problems.append(f"{name}: {key}")
        for key in HOST_MODES:
            value = str(service.get(key) or "")
            if value and not (key == "network_mode" and (value == "none" or value.startswith("service:"))):
                problems.append(f"{name}: {key}: {value}")
        extra = {str(c).upper().removeprefix("CAP_") for c in service.get("cap_add") or []} - SAFE_CAPABILITIES
        if extra:
            problems.append(f"{name}: cap_add {', '.join(sorted(extra))}")
        if any("unconfined" in str(opt) for opt in service.get("security_opt") or []):
            problems.append(f"{name}: security_opt unconfined")
        for source in _bind_sources(service):
            if not _inside(root, source) or "docker.sock" in source:
                problems.append(f"{name}: bind mount {source}")
        build = service.get("build")
        context = build if isinstance(build, str) else (build or {}).get("context", ".") if isinstance(build, dict) else "."
        if build is not None and not _inside(root, str(context)):
            problems.append(f"{name}: build context {context}")
        env_files = service.get("env_file") or []
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            path = env_file.get("path", "") if isinstance(env_file, dict) else str(env_file)
            if not _inside(root, path):
                problems.append(f"{name}: env_file {path}")
    for section in ("volumes", "networks", "secrets", "configs"):
        for key, item in (compose.data.get(section) or {}).items() if isinstance(compose.data.get(section), dict) else []:
            item = item or {}
            if isinstance(item, dict) and (item.get("external") or item.get("driver") or item.get("driver_opts")):
                problems.append(f"{section}.{key}: external or driver options")
            if isinstance(item, dict) and item.get("file") and not _inside(root, str(item["file"])):
                problems.append(f"{section}.{key}: file {item['file']}")
    if compose.data.get("include"):
        problems.append("include")
    return problems


def published_everywhere(service: dict) -> list[str]:
    """The ports of a service published on every interface (no host address, 0.0.0.0 or ::)."""
    found = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            if port.get("published") is not None and not str(port.get("host_ip") or "").startswith(LOOPBACK):
                found.append(str(port.get("published")))
            continue
        text = str(port).split("/")[0]
        host = text.rsplit(":", 2)[0] if text.count(":") >= 2 else ""
        if not host.startswith(LOOPBACK) or host in ("0.0.0.0", "::", "[::]"):
            found.append(text)
    return found


def clear_secrets(service: dict) -> list[str]:
    """Names of secret-looking variables whose value is written in the file (not `${VAR}` from .env)."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in str(item) else (str(item), None) for item in environment)
    found = []
    for name, value in environment.items():
        value = "" if value is None else str(value)
        if SECRET_NAME.search(str(name)) and not NOT_A_SECRET_NAME.search(str(name)) and value \
                and not re.fullmatch(r"\$\{?[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}?", value):
            found.append(str(name))
        elif re.search(r"://[^:/@\s]+:(?!\$)[^@\s]+@", value):  # a URL with its password inside
            found.append(str(name))
    return found


def _memory_limited(service: dict) -> bool:
    limits = ((service.get("deploy") or {}).get("resources") or {}).get("limits") or {}
    return bool(service.get("mem_limit") or limits.get("memory"))


def _finding(rule, severity, message, compose, line, help_text, references=()) -> Finding:
    return Finding(rule=rule, severity=severity, confidence="high", message=message, path=compose.rel, line=line,
                   help=help_text, references=[*references, ANSSI])


def hardening(compose: ComposeFile, healthy_images: set[str], _) -> list[Finding]:
    """ANSSI findings on every service. `healthy_images`: services whose built image has a HEALTHCHECK."""
    findings = []
    for name, service in compose.services.items():
        kind, line = role(service), compose.line_of(f"{name}:")
        where = _("Service {name}.").format(name=name)
        if service.get("privileged") is True:
            findings.append(_finding("compose-privileged", "high", _("Privileged container.") + " " + where, compose,
                                     compose.line_of("privileged", name), _("Remove privileged: true."), ["CWE-269"]))
        if "ALL" not in {str(c).upper() for c in service.get("cap_drop") or []}:
            findings.append(_finding("compose-capabilities-kept", "medium",
                                     _("Capabilities not dropped: the container keeps Docker's default set.") + " " + where,
                                     compose, line, _("Add cap_drop: [ALL], then cap_add only what the image needs."),
                                     ["CWE-250"]))
        if kind == "built" and service.get("read_only") is not True:
            findings.append(_finding("compose-writable-root", "medium",
                                     _("The application's root file system is writable.") + " " + where, compose, line,
                                     _("Add read_only: true and a tmpfs for the folders it writes (/tmp)."),
                                     ["CWE-732"]))
        if not _memory_limited(service):
            findings.append(_finding("compose-no-limits", "medium",
                                     _("No memory limit: one container can exhaust the host.") + " " + where, compose,
                                     line, _("Set deploy.resources.limits (memory, cpus) or mem_limit."), ["CWE-770"]))
        if not service.get("healthcheck") and name not in healthy_images:
            findings.append(_finding("compose-no-healthcheck", "medium",
                                     _("No health check: depending services cannot wait until it is ready.") + " " + where,
                                     compose, line, _("Add a healthcheck (pg_isready, redis-cli ping, an HTTP call) and "
                                                      "depends_on with condition: service_healthy.")))
        depends = service.get("depends_on")
        if isinstance(depends, list) and depends:
            findings.append(_finding("compose-depends-not-healthy", "low",
                                     _("depends_on waits for the containers to start, not to be ready.") + " " + where,
                                     compose, compose.line_of("depends_on", name),
                                     _("Use depends_on with condition: service_healthy.")))
        secrets = clear_secrets(service)
        if secrets:
            findings.append(_finding("compose-secret-in-clear", "high",
                                     _("Secret written in the Compose file: {names}.").format(names=", ".join(secrets))
                                     + " " + where, compose, compose.line_of(secrets[0], name),
                                     _("Read it from .env (never committed) with ${VARIABLE}, or use Compose secrets."),
                                     ["CWE-798"]))
        exposed = published_everywhere(service)
        if kind == "database" and exposed:
            clear = bool(secrets)
            findings.append(_finding(
                "compose-database-exposed", "critical" if clear else "high",
                (_("Database published on every interface ({ports}) with its password in clear in the file.")
                 if clear else _("Database published on every interface ({ports}).")).format(ports=", ".join(exposed))
                + " " + where, compose, compose.line_of("ports", name),
                _("Do not publish the database, or only on 127.0.0.1 (\"127.0.0.1:5432:5432\")."), ["CWE-668"]))
        if kind == "database" and str(service.get("image", "")).split(":")[0].endswith("postgres"):
            volumes = [str(v) if isinstance(v, str) else f"{v.get('source')}:{v.get('target')}"
                       for v in service.get("volumes") or []]
            if not any(v.split(":")[0] and not v.startswith((".", "/", "~")) and "/var/lib/postgresql" in v
                       for v in volumes):
                findings.append(_finding("compose-data-not-in-volume", "medium",
                                         _("The database's data is not in a named volume: it is lost with the "
                                           "container.") + " " + where, compose, line,
                                         _("Mount a named volume on /var/lib/postgresql/data.")))
    return findings
