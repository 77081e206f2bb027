"""The grading service's image built with no registry and no network: what the project's tests bring
up with `environments/service/compose.yaml` on the project's own engine.

`environments/service/Dockerfile` installs the platform with apt and pip: right where the engine's
builds reach the network, impossible here. This image holds the same thing from this host's files:
- the docker backend's grader image (`graders.sandbox.docker_image`: the Debian packages the
  grader needs and this checkout's interpreter and venv, at their host paths) as its base;
- bubblewrap, the workers' sandbox, and the libraries it loads;
- this checkout's platform files at `/opt/cda` (what `git ls-files` lists, plus the compiled
  translations), first on `PYTHONPATH`, and `CDA_LABS_DIR=/opt/cda/labs`, as in the Dockerfile.

The tag is `cda-service:<key>`, the key hashing the base image's tag and every copied file's path,
size and modification time: an unchanged checkout reuses it. `python -m graders.service.offline_image`
builds it and prints the tag (exit 3 when it cannot be built here).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from graders.sandbox.bubblewrap import DEFAULT_PATH
from graders.sandbox.docker_image import ImageError, ensure_image, print_tag

REPOSITORY = "cda-service"
BUILDER_VERSION = "1"
REPO = Path(__file__).resolve().parents[2]
TARGET = "/opt/cda"
SANDBOX_FILES = ("/usr/bin/bwrap",)
BUILD_TIMEOUT_S = 600


def platform_files(repo: Path = REPO) -> list[str]:
    """Repository-relative paths of what the image takes: tracked files and compiled translations."""
    try:
        listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=True,
                                timeout=60).stdout.decode().split("\0")
    except (OSError, subprocess.SubprocessError) as exc:
        raise ImageError(f"cannot list the platform's files (a git checkout is needed): {exc}") from exc
    compiled = [p.relative_to(repo).as_posix() for p in (repo / "graders" / "locale").rglob("*.mo")]
    if not compiled:
        raise ImageError("graders/locale holds no compiled translation: run `make install` first")
    return sorted({p for p in listed if p and (repo / p).is_file()} | set(compiled))


def sandbox_libraries() -> list[str]:
    """bubblewrap and the shared libraries `ldd` says it loads (the base image lacks some)."""
    found = list(SANDBOX_FILES)
    for binary in SANDBOX_FILES:
        if not os.path.isfile(binary):
            raise ImageError(f"{binary} is missing: apt install bubblewrap")
        out = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=30).stdout
        found += [part for line in out.splitlines() for part in line.split() if part.startswith("/")]
    return sorted(set(found))


def dockerfile(base: str) -> str:
    env = f"PATH={sys.prefix}/bin:{DEFAULT_PATH} PYTHONPATH={TARGET} CDA_LABS_DIR={TARGET}/labs"
    return (f"FROM {base}\n"
            "COPY host/ /\n"
            f"COPY platform/ {TARGET}/\n"
            "USER 0:0\n"
            f"WORKDIR {TARGET}\n"
            f"ENV {env}\n"
            f"LABEL {REPOSITORY}-builder={BUILDER_VERSION}\n"
            'CMD ["cda", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "0"]\n')


def image_key(base: str, files: list[str], extra: list[str]) -> str:
    digest = hashlib.sha256(f"{BUILDER_VERSION}\0{base}\0{sys.prefix}\0".encode())
    for path in [str(REPO / p) for p in files] + extra:
        stat = os.stat(path)
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def context_tar(base: str, files: list[str], extra: list[str]) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        text = dockerfile(base).encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
        for path in extra:  # followed: the image gets the file, not the host's link to it
            tar.add(os.path.realpath(path), arcname="host" + path, recursive=False)
        for path in files:
            tar.add(str(REPO / path), arcname=f"platform/{path}", recursive=False)
    buffer.seek(0)
    return buffer


def ensure_service_image(client, log=None) -> str:
    """The tag of the service image for this checkout, built now when it is not in the engine."""
    base = ensure_image(client, log)
    files, extra = platform_files(), sandbox_libraries()
    tag = f"{REPOSITORY}:{image_key(base, files, extra)}"
    with open(Path(tempfile.gettempdir(), "cda-service-image.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            client.images.get(tag)
            return tag
        except Exception:  # docker.errors.ImageNotFound
            pass
        if log:
            log(f"building the service image {tag} from this checkout (once)")
        try:
            client.images.build(fileobj=context_tar(base, files, extra), custom_context=True, tag=tag,
                                network_mode="none", rm=True, forcerm=True, timeout=BUILD_TIMEOUT_S)
        except Exception as exc:  # docker.errors.BuildError, APIError
            raise ImageError(f"the service image did not build: {str(exc).splitlines()[0][:300]}") from exc
    return tag


def main() -> int:
    return print_tag(ensure_service_image)


if __name__ == "__main__":
    sys.exit(main())
