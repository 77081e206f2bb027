"""What each offline base image holds: Debian packages of the host, users, extra files, metadata.

Each spec names its Debian seed packages; the image gets them and every installed package they
depend on (Pre-Depends and Depends, first installed alternative), except the `excluded` ones,
whose dependencies are not followed either (maintainer scripts' tools: perl, debconf, the
postgresql-common wrappers; the JIT's LLVM). Files come from `dpkg -L`, as for the grader image.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field

from graders.sandbox.docker_image import ImageError

BASE_SEEDS = ("base-files", "dash", "bash", "coreutils", "debianutils", "grep", "sed", "findutils", "gzip", "tar", "libc-bin")
BASE_EXCLUDED = ("debconf", "debconf-2.0", "perl", "perl-modules-5.36", "libperl5.36", "init-system-helpers",
                 "lsb-base", "sysvinit-utils", "ucf", "logrotate", "cron", "sensible-utils", "ca-certificates",
                 "openssl", "ssl-cert", "libllvm14", "locales", "locales-all", "procps", "systemd", "dpkg",
                 "media-types", "readline-common", "netbase", "tzdata-legacy")
PG_BIN = "/usr/lib/postgresql/15/bin"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BASE_USERS = (("root", 0, "/root", "/bin/bash"), ("daemon", 1, "/usr/sbin", "/usr/sbin/nologin"),
              ("bin", 2, "/bin", "/usr/sbin/nologin"), ("sys", 3, "/dev", "/usr/sbin/nologin"),
              ("nobody", 65534, "/nonexistent", "/usr/sbin/nologin"))
BASE_GROUPS = (("adm", 4), ("tty", 5), ("staff", 50), ("users", 100), ("nogroup", 65534))
BASE_LINKS = (("/usr/bin/which", "/usr/bin/which.debianutils"),)  # made by update-alternatives, not in `dpkg -L`
PYTHON_DISTRIBUTIONS = ("flask", "psycopg", "psycopg-binary", "redis", "pytest", "gunicorn")


@dataclass(frozen=True)
class ImageSpec:
    """One base image: `name` is its usual tag, `aliases` other usual tags of the same image."""

    name: str
    aliases: tuple[str, ...]
    seeds: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    users: tuple[tuple[str, int, str, str], ...] = ()   # (name, uid=gid, home, shell) besides BASE_USERS
    owned_dirs: tuple[tuple[str, int, int], ...] = ()    # (path, uid, mode) made in the image
    entrypoint: str | None = None                         # file of graders/containers/entrypoints/
    links: tuple[tuple[str, str], ...] = ()               # (path, target) symbolic links
    dropped: tuple[str, ...] = ()                         # host files left out (Debian markers)
    host_etc: tuple[str, ...] = ("alternatives", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d")
    python_dists: tuple[str, ...] = ()                    # the grader venv's distributions installed
    changes: tuple[str, ...] = field(default=())          # Dockerfile-like metadata for `docker import`

    @property
    def tags(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


SPECS: dict[str, ImageSpec] = {spec.name: spec for spec in (
    ImageSpec(
        name="python:3.11-slim", aliases=("python:3.11", "python:3.11-slim-bookworm", "python:3.11-bookworm"),
        seeds=("python3.11", "python3-pip", "libpq5", "passwd", "login", "adduser", "perl-base"),
        excluded=("python3-pip-whl", "python3-setuptools-whl"),
        links=(("/usr/local/bin/python", "/usr/bin/python3.11"), ("/usr/local/bin/python3", "/usr/bin/python3.11"),
               ("/usr/local/bin/python3.11", "/usr/bin/python3.11")),
        dropped=("/usr/lib/python3.11/EXTERNALLY-MANAGED",),
        host_etc=("alternatives", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "pam.d", "security",
                  "login.defs", "default/useradd", "skel", "adduser.conf"),
        python_dists=PYTHON_DISTRIBUTIONS,
        changes=(f"ENV PATH={PATH}", "ENV LANG=C.UTF-8", "ENV PYTHON_VERSION=3.11", 'CMD ["python3"]'),
    ),
    ImageSpec(
        name="postgres:15", aliases=("postgres:15-bookworm",),
        seeds=("postgresql-15", "postgresql-client-15", "tzdata"),
        excluded=("postgresql-common", "postgresql-client-common", "libdbd-pg-perl"),
        users=(("postgres", 999, "/var/lib/postgresql", "/bin/bash"),),
        owned_dirs=(("/var/lib/postgresql", 999, 0o755), ("/var/lib/postgresql/data", 999, 0o700),
                    ("/var/run/postgresql", 999, 0o3775), ("/docker-entrypoint-initdb.d", 0, 0o755)),
        entrypoint="postgres.sh",
        changes=(f"ENV PATH={PG_BIN}:{PATH}", "ENV PGDATA=/var/lib/postgresql/data", "ENV LANG=C.UTF-8",
                 "USER postgres", "VOLUME /var/lib/postgresql/data", "EXPOSE 5432",
                 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["postgres"]'),
    ),
    ImageSpec(
        name="redis:7", aliases=("redis:7-bookworm", "redis:7.0"),
        seeds=("redis-server", "redis-tools"),
        excluded=("adduser", "passwd"),
        users=(("redis", 999, "/data", "/usr/sbin/nologin"),),
        owned_dirs=(("/data", 999, 0o755),),
        entrypoint="redis.sh",
        changes=(f"ENV PATH={PATH}", "USER redis", "WORKDIR /data", "VOLUME /data", "EXPOSE 6379",
                 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["redis-server"]'),
    ),
)}
ALIASES = {tag: spec for spec in SPECS.values() for tag in spec.tags}


def spec_for(name: str) -> ImageSpec | None:
    """The spec whose usual tags include `name` (`docker.io/library/` and `library/` prefixes allowed)."""
    for prefix in ("docker.io/library/", "library/", "docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return ALIASES.get(name)


def installed_packages() -> dict[str, tuple[str, list[list[str]], list[str]]]:
    """name -> (version, dependencies as lists of alternatives, virtual names it provides)."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f",
                              "${Package}\t${Version}\t${db:Status-Status}\t${Pre-Depends}, ${Depends}\t${Provides}\n"],
                             capture_output=True, text=True, check=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ImageError(f"cannot list the host's Debian packages (offline images need a Debian host): {exc}") from exc
    found = {}
    for row in out.splitlines():
        name, version, status, depends, provides = (row.split("\t") + [""] * 5)[:5]
        if status != "installed":
            continue
        alternatives = [[bare(alt) for alt in group.split("|")] for group in depends.split(",") if group.strip()]
        found[name] = (version, alternatives, [bare(p) for p in provides.split(",") if p.strip()])
    return found


def bare(dependency: str) -> str:
    """`libc6:any (>= 2.34)` -> `libc6`."""
    return dependency.strip().split(" ")[0].split(":")[0]


def package_closure(spec: ImageSpec, installed: dict | None = None) -> list[str]:
    """`name=version` of the spec's seeds and of their installed dependencies, minus the excluded."""
    installed = installed if installed is not None else installed_packages()
    providers: dict[str, str] = {}
    for name, (_, _, provides) in installed.items():
        for virtual in provides:
            providers.setdefault(virtual, name)
    excluded = set(BASE_EXCLUDED) | set(spec.excluded)
    missing = [seed for seed in (*BASE_SEEDS, *spec.seeds) if seed not in installed]
    if missing:
        raise ImageError(f"Debian packages missing for the offline image {spec.name}: {', '.join(missing)} "
                         "(apt install them)")
    todo, seen = [*BASE_SEEDS, *spec.seeds], set()
    while todo:
        name = todo.pop()
        if name in seen or name in excluded:
            continue
        seen.add(name)
        for group in installed[name][1]:
            chosen = next((alt for alt in group if alt in installed), None)
            chosen = chosen or next((providers[alt] for alt in group if alt in providers), None)
            if chosen and chosen not in seen:
                todo.append(chosen)
    return sorted(f"{name}={installed[name][0]}" for name in seen)
