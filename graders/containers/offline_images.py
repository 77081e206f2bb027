"""The base images that learner Compose files and Dockerfiles name, available with no registry.

`ensure_images(client, names, log=None) -> dict[str, str]` makes each named image (its usual
tag: `python:3.11-slim`, `postgres:15`, `redis:7` and the aliases of `image_specs.SPECS`)
present in the engine and returns `{name: image id}`. Raises `ImageError` (a
`GraderUnavailable`) for a name it cannot provide. `python -m graders.containers.offline_images
[NAME...]` does the same from a shell (all images by default) and prints one line per image.

Where each image comes from (`CDA_BASE_IMAGES`, default `auto`):
- an image already in the engine under that tag is used as it is, when it is not one of ours
  (a user machine that pulled the real one) or when it is ours and its content key is current;
- `auto`: otherwise, when Docker Hub answers (a TCP connection within 3 s), the real image is
  pulled: on a user machine the files work exactly as they will in production; when it does not
  answer (CI, this project's machines), the image is built from the host's files;
- `build`: always ours (a tag that is not ours is kept: we never overwrite a pulled image);
- `pull`: only pulled; an error when the registry cannot be reached.

Our build is `docker import` of a tar of the host's own files, like the grader image
(`graders.sandbox.docker_image`, whose helpers it reuses): the Debian packages of the spec and
their dependencies, generated users, the entrypoint of `entrypoints/`, and for the Python image
the grader venv's copies of the médiathèque's dependencies (Flask, psycopg, redis, pytest...), so
that a Dockerfile's `pip install -r requirements.txt` with matching pins is already satisfied and
succeeds with no network. The servers run as non-root users (`postgres` and `redis`, uid 999).
Each image is labelled with its content key (builder version, spec, its packages' versions, the venv's
distributions): an unchanged host reuses it, a changed one rebuilds it once; a file lock makes
concurrent callers wait for one build.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import io
import os
import socket
import sys
import tarfile
import tempfile
import threading
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from graders.containers.image_specs import BASE_GROUPS, BASE_LINKS, BASE_USERS, SPECS, ImageSpec, installed_packages, package_closure, spec_for
from graders.sandbox.docker_image import (SKIPPED, USR_MERGED, ImageError, compiled, folder_entry, normalised,
                                          package_files, walk)

BUILDER_VERSION = "2"  # bump when what the code puts into an image changes
STALE_AFTER_S = 1800  # a replaced image is removed only this long after its build (a grading may still use it)
KEY_LABEL = "cda-offline-key"
NAME_LABEL = "cda-offline-image"
ENTRYPOINTS = Path(__file__).resolve().parent / "entrypoints"
SITE = "/usr/local/lib/python3.11/dist-packages"
REGISTRY = ("registry-1.docker.io", 443)
SOURCES = ("auto", "build", "pull")


def source() -> str:
    value = os.environ.get("CDA_BASE_IMAGES", "auto")
    if value not in SOURCES:
        raise ImageError(f"CDA_BASE_IMAGES={value!r}: expected one of {', '.join(SOURCES)}")
    return value


def registry_reachable(timeout: float = 3) -> bool:
    """True when Docker Hub accepts a TCP connection (name resolution included) within `timeout`."""
    result: list[bool] = []

    def attempt() -> None:
        try:
            socket.create_connection(REGISTRY, timeout=timeout).close()
            result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


def python_distributions(names: tuple[str, ...]) -> list[metadata.Distribution]:
    """The named distributions of the grader's environment and what they require (extras left out),
    with environment markers read for the image's Python (Debian's 3.11.2 may need what 3.11.7 does not)."""
    from packaging.requirements import Requirement

    target = {"extra": ""}
    version = installed_packages().get("python3.11", ("",))[0] if names else ""
    if version:
        full = version.split("-")[0].split("+")[0]
        target |= {"python_full_version": full, "python_version": ".".join(full.split(".")[:2])}

    found: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # optional here (gunicorn): the image simply does not have it
        found[name] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate(target):
                todo.append(requirement.name)
    return [found[name] for name in sorted(found)]


def image_key(spec: ImageSpec) -> str:
    """A hash of what goes into the image: builder version, spec, the versions of the packages of its
    closure (not the whole dpkg database: another package installed on the host changes nothing),
    the entrypoint and the venv's distributions. Checkouts of the same builder version share it."""
    digest = hashlib.sha256()
    if not Path("/var/lib/dpkg/status").is_file():
        raise ImageError("offline base images are built from a Debian host's packages (no /var/lib/dpkg/status)")
    parts = [BUILDER_VERSION, repr(spec), *package_closure(spec, installed_packages())]
    if spec.entrypoint:
        parts.append((ENTRYPOINTS / spec.entrypoint).read_text())
    parts += [f"{d.metadata['Name']}=={d.version}" for d in python_distributions(spec.python_dists)]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


def text_entry(path: str, text: str, mode: int = 0o644) -> tuple[tarfile.TarInfo, io.BytesIO]:
    data = text.encode()
    info = tarfile.TarInfo(path.lstrip("/"))
    info.size, info.mode = len(data), mode
    return info, io.BytesIO(data)


def account_files(spec: ImageSpec) -> dict[str, str]:
    users = [*BASE_USERS, *spec.users]
    groups = [(n, u) for n, u, _, _ in users if u != 65534] + list(BASE_GROUPS)
    return {
        "/etc/passwd": "".join(f"{n}:x:{u}:{u}:{n}:{home}:{shell}\n" for n, u, home, shell in users),
        "/etc/group": "".join(f"{n}:x:{g}:\n" for n, g in groups),
        "/etc/shadow": "".join(f"{n}:*:19000:0:99999:7:::\n" for n, _, _, _ in users),
        "/etc/gshadow": "".join(f"{n}:*::\n" for n, _ in groups),
    }


def console_script(entry: metadata.EntryPoint) -> str:
    module, _, attribute = entry.value.partition(":")
    call = attribute.split("[")[0].strip() or "main"
    return (f"#!/usr/local/bin/python\nimport sys\nfrom {module.strip()} import {call.split('.')[0]}\n"
            f"sys.exit({call}())\n")


def write_rootfs(spec: ImageSpec, tar_path: Path) -> int:
    """The image's root file system as a tar; returns its number of entries."""
    paths = {normalised(p) for p in package_files(package_closure(spec, installed_packages()))} - {"/"}
    paths = (paths | compiled(paths)) - set(spec.dropped)
    for name in spec.host_etc:  # generated at install time, so not in `dpkg -L`
        if os.path.isdir(f"/etc/{name}") and not os.path.islink(f"/etc/{name}"):
            paths.update(walk(f"/etc/{name}", ()))
        elif os.path.lexists(f"/etc/{name}"):
            paths.add(f"/etc/{name}")
    generated = account_files(spec)
    if spec.entrypoint:
        generated["/usr/local/bin/docker-entrypoint.sh"] = (ENTRYPOINTS / spec.entrypoint).read_text()
    python_files: dict[str, Path] = {}
    for dist in python_distributions(spec.python_dists):
        for file in dist.files or []:
            source = Path(dist.locate_file(file))
            if ".." not in file.parts and source.is_file() and "__pycache__" not in file.parts:
                python_files[f"{SITE}/{file.as_posix()}"] = source
        for entry in dist.entry_points:
            if entry.group == "console_scripts":
                generated[f"/usr/local/bin/{entry.name}"] = console_script(entry)
    owned = {path: (uid, mode) for path, uid, mode in spec.owned_dirs}
    links = dict(BASE_LINKS + spec.links)
    extra = set(generated) | set(python_files) | set(owned) | set(links)
    parents = {str(a) for p in paths | extra for a in Path(p).parents if str(a) != "/"} - paths
    merged = {f"/{top}" for top in USR_MERGED if os.path.islink(f"/{top}")}
    count = 0
    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        for top in sorted(merged):
            info = tarfile.TarInfo(top.lstrip("/"))
            info.type, info.linkname = tarfile.SYMTYPE, os.readlink(top)
            tar.addfile(info)
        for name in ("/tmp", "/var/tmp"):
            tar.addfile(folder_entry(name, 0o1777))
        for path in sorted((paths | parents | extra) - merged - {"/tmp", "/var/tmp"}):
            if path in owned:
                info = folder_entry(path, owned[path][1])
                info.uid = info.gid = owned[path][0]
                tar.addfile(info)
            elif path in links:
                info = tarfile.TarInfo(path.lstrip("/"))
                info.type, info.linkname = tarfile.SYMTYPE, links[path]
                tar.addfile(info)
            elif path in generated:
                tar.addfile(*text_entry(path, generated[path], 0o755 if "/bin/" in path else 0o644))
            elif path in python_files:
                tar.add(python_files[path], arcname=path.lstrip("/"), recursive=False)
            elif path in parents and not os.path.islink(path):
                tar.addfile(folder_entry(path, 0o755))
            elif os.path.lexists(path) and not path.startswith(SKIPPED):
                tar.add(path, arcname=path.lstrip("/"), recursive=False)
            count += 1
    return count


def labels_of(client, name: str) -> dict[str, str] | None:
    """The labels of the image tagged `name`, or None when the engine has no such image."""
    try:
        return client.images.get(name).labels or {}
    except Exception:  # docker.errors.ImageNotFound, or an older engine's variant of it
        return None


def build(client, spec: ImageSpec, key: str, log=None) -> str:
    if log:
        log(f"building the offline base image {spec.name} from this host's files (once)")
    with tempfile.TemporaryDirectory(prefix="cda-base-image-") as work:
        tar_path = Path(work, "rootfs.tar")
        write_rootfs(spec, tar_path)
        repository, tag = spec.name.split(":")
        changes = [f'LABEL {NAME_LABEL}="{spec.name}" {KEY_LABEL}="{key}"', *spec.changes]
        client.api.import_image(src=str(tar_path), repository=repository, tag=tag, changes=changes)
    image = client.images.get(spec.name)
    for alias in spec.aliases:
        if labels_of(client, alias) is None or KEY_LABEL in (labels_of(client, alias) or {}):
            image.tag(*alias.split(":"))
    for old in client.images.list(filters={"label": f"{NAME_LABEL}={spec.name}", "dangling": True}):
        created = old.attrs.get("Created", "")
        try:
            age = time.time() - datetime.fromisoformat(created[:26].rstrip("Z")).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            continue
        if age > STALE_AFTER_S:  # a build elsewhere may still start FROM a younger one
            try:
                client.images.remove(old.id)
            except Exception:  # still used by a container: left for a later build
                pass
    return image.id


def ensure_one(client, name: str, log=None) -> str:
    spec = spec_for(name)
    labels = labels_of(client, name)
    if labels is not None and KEY_LABEL not in labels:
        return client.images.get(name).id  # not ours (pulled): used as it is
    mode = source()
    if labels is None and mode != "build" and (mode == "pull" or registry_reachable()):
        try:
            if log:
                log(f"pulling {name}")
            return client.images.pull(name).id
        except Exception as exc:
            if mode == "pull" or spec is None:
                raise ImageError(f"cannot pull {name}: {exc}") from exc
    if spec is None:
        raise ImageError(f"no offline build for the image {name} (offline images: {', '.join(sorted(SPECS))})")
    key = image_key(spec)
    if labels is not None and labels.get(KEY_LABEL) == key:
        return client.images.get(name).id
    return build(client, spec, key, log)


def ensure_images(client, names, log=None) -> dict[str, str]:
    """`{name: image id}` for each name, pulled or built as the module docstring says."""
    with open(Path(tempfile.gettempdir(), "cda-offline-images.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; the others then find it
        return {name: ensure_one(client, name, log) for name in dict.fromkeys(names)}


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0 every image ready; 2 bad input (unknown image name); 3 no engine or no build here."""
    parser = argparse.ArgumentParser(prog="python -m graders.containers.offline_images",
                                     description="Build (or pull) the base images learner files name.")
    parser.add_argument("names", nargs="*", help=f"images (default: {', '.join(SPECS)})")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if spec_for(name) is None]
    if unknown:
        print(f"error: no offline build for {', '.join(unknown)} (known: {', '.join(sorted(SPECS))})", file=sys.stderr)
        return 2
    import docker

    from graders.sandbox.docker_engine import docker_engine

    try:
        with docker_engine() as url:
            client = docker.DockerClient(base_url=url, timeout=600)
            for name, image_id in ensure_images(client, args.names or list(SPECS),
                                                log=lambda line: print(line, file=sys.stderr)).items():
                size = client.images.get(image_id).attrs.get("Size", 0)
                print(f"{name}\t{image_id[:19]}\t{size / 1e6:.0f} MB")
    except (RuntimeError, ImageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
