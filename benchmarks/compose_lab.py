"""Grading lab C1 (Compose stack on a real engine) versus the bare tools run by hand.

- **bare**: what a trainer would type on the solution: `cp .env.example .env`, `docker compose up -d
  --build` (ports left unpublished: this machine's own PostgreSQL holds 5432), `curl` the catalogue
  until it answers, `docker compose down -v --rmi local`;
- **cda grade, warm**: every check of the lab (the stack built offline, started, probed, its visible
  tests run inside, its images inspected, torn down; hadolint; ANSSI; dev tools), base images cached;
- **cold**: the same plus building the three offline base images from the host's files (timed
  under a scratch repository name, so the engine's shared `python:3.11-slim`... tags stay in use).

Medians of N runs, interleaved. Usage: .venv/bin/python benchmarks/compose_lab.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graders.containers import offline_images  # noqa: E402
from graders.containers.image_specs import SPECS  # noqa: E402
from graders.containers.stack import PROBE, compose_command  # noqa: E402
from graders.sandbox.docker_engine import docker_engine  # noqa: E402

LAB = REPO / "labs" / "c1-environnement-travail"


def bare_run(client, url: str, work: Path, command: list[str]) -> float:
    """By hand: copy .env, compose up --build, curl until the catalogue answers, compose down."""
    import yaml

    data = yaml.safe_load((work / "compose.yaml").read_text(encoding="utf-8"))
    for service in data["services"].values():
        service.pop("ports", None)  # 127.0.0.1:5432 is this machine's own PostgreSQL
    (work / "compose.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    env = {**os.environ, "DOCKER_HOST": url}
    project = f"bench-c1-{os.getpid()}"
    base = [*command, "-p", project, "-f", "compose.yaml"]
    start = time.perf_counter()
    shutil.copyfile(work / ".env.example", work / ".env")
    subprocess.run([*base, "up", "-d", "--build"], cwd=work, env=env, check=True, capture_output=True)
    deadline = time.monotonic() + 180
    try:
        while True:
            app = client.containers.list(filters={"label": [f"com.docker.compose.project={project}",
                                                             "com.docker.compose.service=app"]})
            address = next((n["IPAddress"] for c in app for n in c.attrs["NetworkSettings"]["Networks"].values()
                            if n.get("IPAddress")), None)
            try:
                with urllib.request.urlopen(f"http://{address}:8000{PROBE[0]}", timeout=3) as response:
                    if PROBE[1] in response.read().decode():
                        break
            except Exception:
                if time.monotonic() > deadline:
                    raise RuntimeError("the solution's stack did not answer in 180 s")
                time.sleep(0.5)
    finally:
        subprocess.run([*base, "down", "-v", "--rmi", "local", "-t", "2"], cwd=work, env=env, capture_output=True)
    return time.perf_counter() - start


def cold_images(client) -> float:
    """Building the three base images from the host's files, as on a fresh engine (scratch tags)."""
    start = time.perf_counter()
    for spec in SPECS.values():
        with tempfile.TemporaryDirectory(prefix="bench-image-") as work:
            tar = Path(work, "rootfs.tar")
            offline_images.write_rootfs(spec, tar)
            client.api.import_image(src=str(tar), repository="bench-c1-base", tag=spec.name.replace(":", "-"),
                                    changes=list(spec.changes))
    elapsed = time.perf_counter() - start
    for image in client.images.list(name="bench-c1-base"):
        client.images.remove(image.id, force=True)
    return elapsed


def main() -> int:
    import docker

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    command = compose_command()
    if command is None:
        print("skipped: Docker Compose not found (apt install docker-compose)")
        return 0
    cda = str(Path(sys.executable).parent / "cda")
    samples: dict[str, list[float]] = {"bare": [], "warm": [], "images": []}
    try:
        with docker_engine() as url, tempfile.TemporaryDirectory() as tmp:
            client = docker.DockerClient(base_url=url, timeout=600)
            offline_images.ensure_images(client, list(SPECS))
            env = {**os.environ, "DOCKER_HOST": url}
            for run in range(args.runs):
                work = Path(shutil.copytree(LAB / "solution", Path(tmp) / f"bare-{run}"))
                samples["bare"].append(bare_run(client, url, work, command))
                start = time.perf_counter()
                subprocess.run([cda, "grade", str(LAB), str(LAB / "solution"), "-q"], check=True, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                samples["warm"].append(time.perf_counter() - start)
                samples["images"].append(cold_images(client))
    except RuntimeError as exc:
        print(f"skipped: no Docker engine here: {exc}")
        return 0
    bare, warm, images = (statistics.median(samples[k]) for k in ("bare", "warm", "images"))
    print(f"lab: c1-environnement-travail ({args.runs} runs, medians; load average {os.getloadavg()[0]:.1f}; "
          f"compose: {' '.join(command)})")
    print(f"bare tools by hand (compose up --build, curl until it answers, down): {bare:.1f} s")
    print(f"cda grade, warm (base images cached; every check): {warm:.1f} s ({warm / bare:.2f}x bare)")
    print(f"cold: + building the 3 offline base images {images:.1f} s = {warm + images:.1f} s "
          f"({(warm + images) / bare:.2f}x bare; once per engine and host change)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
