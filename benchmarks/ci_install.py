"""Installing the platform in a learner's CI: cold (nothing cached) against cached (the CI cache of the
templates in environments/ci/ kept from the previous pipeline). Two parts, as `make install` does them:

1. Python: `uv pip sync requirements.lock` into a fresh venv, with an empty UV_CACHE_DIR, then again
   into another fresh venv with the cache the first one filled (the templates cache UV_CACHE_DIR).
2. Debian packages (root only): downloading the Makefile's APT_PACKAGES into an empty archives folder,
   then again with the folder kept (the templates cache CDA_APT_ARCHIVES: apt finds the .deb files
   there and downloads nothing). Unpacking is not measured: it cannot be redone on a live system.

The third path, the CI image (environments/ci/cda-ci.Dockerfile), installs nothing per push.

Usage: .venv/bin/python benchmarks/ci_install.py [--skip-apt]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UV = REPO / ".venv" / "bin" / "uv"


def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def python_part(work: Path) -> tuple[float, float]:
    env = {**os.environ, "UV_CACHE_DIR": str(work / "uv-cache")}
    times = []
    for name in ("cold", "cached"):
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(work / name)], check=True)
        times.append(timed([str(UV), "pip", "sync", "--quiet", "--python", str(work / name / "bin" / "python"),
                            str(REPO / "requirements.lock")], env))
    return times[0], times[1]


def apt_part(work: Path) -> tuple[float, float]:
    packages = re.search(r"^APT_PACKAGES := (.*)$", (REPO / "Makefile").read_text(), re.MULTILINE).group(1).split()
    archives = work / "apt"
    (archives / "partial").mkdir(parents=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
    cmd = ["apt-get", "install", "-y", "-qq", "--download-only", "--reinstall", "--no-install-recommends",
           "-o", f"Dir::Cache::archives={archives}", *packages]
    return timed(cmd), timed(cmd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-apt", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cda-bench-install-") as work:
        cold, cached = python_part(Path(work))
        print(f"python (uv pip sync requirements.lock): cold {cold:6.1f} s, cached {cached:6.1f} s")
        if args.skip_apt or os.geteuid() != 0:
            print("debian packages: skipped (--skip-apt or not root)")
        else:
            cold, cached = apt_part(Path(work))
            print(f"debian packages (download of APT_PACKAGES): cold {cold:6.1f} s, cached {cached:6.1f} s")
    print("CI image (environments/ci/cda-ci.Dockerfile): nothing installed per push")
    return 0


if __name__ == "__main__":
    sys.exit(main())
