"""The docker backend's grader image, built offline from the host's own files and cached by content.

No registry is needed: the image is the same system the bubblewrap backend shows its sandboxes,
cut down to what the grader runs inside one. It holds:
- the files of the Debian packages in `SEED_PACKAGES` and everything they depend on (`dpkg`):
  a shell, coreutils, the interpreter's libraries, `psql` for the SQL lab, git;
- the grader's interpreter folders at their host paths (`python_dirs()`: the venv and its base
  install, without the base install's own site-packages and test suite), so the grader's argv
  (`sys.executable`) works unchanged inside;
- a few generated files of /etc (users, the loader cache, alternatives).

The tag is `cda-grader:<key>`, where the key hashes every input: package names and versions, the
venv's distributions, the interpreter paths and the /etc files. An unchanged host reuses the
image; a changed one builds a new image and removes the stale ones of the same venv. `python -m
graders.sandbox.docker_image` builds it ahead of time and prints its tag.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from graders.errors import GraderUnavailable
from graders.sandbox.bubblewrap import DEFAULT_PATH, python_dirs

REPOSITORY = "cda-grader"
BUILDER_VERSION = "4"  # bump when the selection below changes
IMAGE_LABEL = "cda-grader-image"
SEED_PACKAGES = ("dash", "bash", "coreutils", "util-linux", "findutils", "grep", "sed", "gzip", "tar", "procps",
                 "python3.11", "libpq5", "postgresql-client-15", "git", "libstdc++6", "libgomp1", "libatomic1", "tzdata")
ETC_FILES = ("passwd", "group", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives",
             "localtime", "timezone", "hosts", "protocols", "services", "mime.types", "ssl/certs",
             "postgresql-common/user_clusters")
USR_MERGED = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# Folders made in the image. Never the sandbox's tmpfs targets (/workspace...): a tmpfs takes the
# mode of the image's folder at its place, which would refuse the sandbox user its own workspace.
MOUNT_POINTS = ("/tmp", "/var/tmp", "/run")
SKIPPED = ("/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/", "/usr/share/lintian/")


class ImageError(GraderUnavailable):
    """The image cannot be built here (not a Debian host, a seed package missing...)."""


def package_closure() -> list[str]:
    """`name=version` of the seed packages and every installed package they depend on."""
    try:
        out = subprocess.run(["apt-cache", "depends", "--recurse", "--installed", "--no-recommends", "--no-suggests",
                              "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *SEED_PACKAGES],
                             capture_output=True, text=True, check=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ImageError(f"cannot list the grader's Debian packages: {exc}") from exc
    names = sorted({line.strip().split(":")[0] for line in out.splitlines()
                    if line and not line.startswith(" ") and "<" not in line})
    query = subprocess.run(["dpkg-query", "-W", "-f", "${Package}=${Version} ${db:Status-Status}\\n", *names],
                           capture_output=True, text=True, timeout=120).stdout
    installed = {row.split()[0] for row in query.splitlines() if row.endswith(" installed")}
    missing = [seed for seed in SEED_PACKAGES if not any(p.startswith(seed + "=") for p in installed)]
    if missing:
        raise ImageError(f"Debian packages missing for the grader image: {', '.join(missing)} (apt install them)")
    return sorted(installed)


def package_files(packages: list[str]) -> list[str]:
    names = [p.split("=")[0] for p in packages]
    out = subprocess.run(["dpkg-query", "-L", *names], capture_output=True, text=True, timeout=120).stdout
    return [line for line in out.splitlines() if line.startswith("/") and not line.startswith(SKIPPED)]


def interpreter_roots() -> list[tuple[str, tuple[str, ...]]]:
    """The interpreter folders outside /usr (the grader's and bandit's), each with the subfolders left out."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    roots = []
    for folder in python_dirs():
        skip = () if folder == sys.prefix else (f"{folder}/lib/{version}/site-packages", f"{folder}/lib/{version}/test")
        roots.append((folder, skip))
    from graders.security.interpreters import analyser

    extra = analyser()  # bandit's newer Python (`make analysers`): its base install, when outside /usr
    tag = f"python{extra.version[0]}.{extra.version[1]}"
    for folder in extra.folders:
        if not folder.startswith("/usr/") and not any(folder == r or folder.startswith(r + "/") for r, _ in roots):
            roots.append((folder, (f"{folder}/lib/{tag}/site-packages", f"{folder}/lib/{tag}/test")))
    return roots


def venv_distributions() -> list[str]:
    site = Path(sys.prefix, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}", "site-packages")
    return sorted(p.name for p in site.glob("*.dist-info")) if site.is_dir() else []


def image_key() -> str:
    """A hash of every input: the Debian package database (any package change), the venv's
    distributions, the interpreter folders and the /etc files. Cheap: no dependency walk."""
    digest = hashlib.sha256()
    status = Path("/var/lib/dpkg/status")
    if not status.is_file():
        raise ImageError("the grader image is built from a Debian host's packages (no /var/lib/dpkg/status)")
    parts = [BUILDER_VERSION, DEFAULT_PATH, sys.version, *SEED_PACKAGES, hashlib.sha256(status.read_bytes()).hexdigest(),
             *venv_distributions(),
             *(f"{root}-{skip}" for root, skip in interpreter_roots())]
    for name in ETC_FILES:
        path = Path("/etc", name)
        if path.is_file():
            parts.append(f"{name}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


def image_tag() -> str:
    return f"{REPOSITORY}:{image_key()}"


def normalised(path: str) -> str:
    """The path with its folders resolved (/bin/sh is /usr/bin/sh on a merged-/usr system)."""
    parent, name = os.path.split(os.path.normpath(path))
    return os.path.normpath(os.path.join(os.path.realpath(parent), name))


def walk(root: str, skip: tuple[str, ...]) -> list[str]:
    found = [root]
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        found += [os.path.join(folder, name) for name in dirs + files]
    return found


def compiled(paths: set[str]) -> set[str]:
    """The bytecode of packaged modules, which dpkg does not list (py3compile makes it at install):
    without it every sandboxed run would compile its imports again (seconds per run)."""
    tag = sys.implementation.cache_tag
    found = set()
    for path in paths:
        if path.endswith(".py"):
            folder, name = os.path.split(path)
            pyc = os.path.join(folder, "__pycache__", f"{name[:-3]}.{tag}.pyc")
            if os.path.isfile(pyc):
                found |= {pyc, os.path.dirname(pyc)}
    return found


def folder_entry(path: str, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(path.lstrip("/"))
    info.type, info.mode = tarfile.DIRTYPE, mode
    return info


def write_rootfs(tar_path: Path, packages: list[str]) -> int:
    """Writes the image's root file system as a tar; returns the number of entries.

    Folders that only lead to the interpreter (/root on this kind of host is 0700) are made 0755,
    as the bubblewrap backend does, so the sandbox user can reach what lies below."""
    paths = {normalised(p) for p in package_files(packages)} - {"/"}
    paths |= compiled(paths)
    for root, skip in interpreter_roots():
        paths.update(walk(root, skip))
    for name in ETC_FILES:
        if os.path.isdir(f"/etc/{name}") and not os.path.islink(f"/etc/{name}"):
            paths.update(walk(f"/etc/{name}", ()))
        elif os.path.lexists(f"/etc/{name}"):
            paths.add(f"/etc/{name}")
    merged = {f"/{top}" for top in USR_MERGED if os.path.islink(f"/{top}")}
    parents = {str(a) for p in paths for a in Path(p).parents if str(a) != "/"} - paths
    parents |= {str(a) for root, _ in interpreter_roots() for a in Path(root).parents if str(a) != "/"}
    count = 0
    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        for top in sorted(merged):  # the merged-/usr links, as on the host
            info = tarfile.TarInfo(top.lstrip("/"))
            info.type, info.linkname = tarfile.SYMTYPE, os.readlink(top)
            tar.addfile(info)
        for name in MOUNT_POINTS:
            tar.addfile(folder_entry(name, 0o1777 if name.endswith("tmp") else 0o755))
        for path in sorted((paths | parents) - merged - set(MOUNT_POINTS)):
            if path in parents and not os.path.islink(path):
                tar.addfile(folder_entry(path, 0o755))
            elif os.path.lexists(path):
                tar.add(path, arcname=path.lstrip("/"), recursive=False)
            count += 1
    return count


def ensure_image(client, log=None) -> str:
    """The tag of the grader image for this host, built now if it is not in the engine yet."""
    tag = image_tag()
    with open(Path(tempfile.gettempdir(), "cda-grader-image.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time, the others then find it
        try:
            client.images.get(tag)
            return tag
        except Exception:  # docker.errors.ImageNotFound, or an older engine's variant of it
            return build_image(client, tag, log)


def build_image(client, tag: str, log=None) -> str:
    if log:
        log(f"building the docker grader image {tag} from this host's files (once)")
    with tempfile.TemporaryDirectory(prefix="cda-image-") as work:
        tar_path = Path(work, "rootfs.tar")
        write_rootfs(tar_path, package_closure())
        repository, tag_name = tag.split(":")
        changes = [f'LABEL {IMAGE_LABEL}="{sys.prefix}"', "USER 65534:65534",
                   f"ENV PATH={DEFAULT_PATH}", 'CMD ["/bin/sh"]']
        client.api.import_image(src=str(tar_path), repository=repository, tag=tag_name, changes=changes)
    client.images.get(tag)  # raises when the import failed
    # stale builds for this same venv; other checkouts' images (other venvs) are theirs to keep
    for image in client.images.list(filters={"label": f"{IMAGE_LABEL}={sys.prefix}"}):
        if tag not in image.tags:
            try:
                client.images.remove(image.id, force=True)
            except Exception:  # in use by a container: left for the next build
                pass
    return tag


def print_tag(ensure) -> int:
    """`python -m` entry of an image builder: `ensure(client, log)` -> tag, printed; exit 3 when it cannot build."""
    import docker

    try:
        print(ensure(docker.from_env(), log=lambda line: print(line, file=sys.stderr)))
    except ImageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0


def main() -> int:
    return print_tag(ensure_image)


if __name__ == "__main__":
    sys.exit(main())
