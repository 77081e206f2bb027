"""Docker backend (docker SDK): network none, read-only root, non-root user, cgroup limits."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from graders.sandbox.bubblewrap import SEED, chown_tree
from graders.sandbox.base import Mount, RunLimits, RunResult, Sandbox, WORKSPACE

IMAGE = os.environ.get("CDA_DOCKER_IMAGE", "cda-grader:latest")
SANDBOX_USER = "65534:65534"


class DockerSandbox(Sandbox):
    name = "docker"

    def __init__(self) -> None:
        import docker

        self.client = docker.from_env()

    @classmethod
    def unavailable_reason(cls) -> str | None:
        try:
            import docker

            client = docker.from_env(timeout=3)
            client.ping()
            client.images.get(IMAGE)
        except ImportError:
            return "the docker Python SDK is not installed"
        except Exception as exc:  # the SDK raises many kinds; all mean "not usable here"
            reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            return f"no Docker engine or image {IMAGE} answers ({reason})"
        return None

    def run(self, argv, *, mounts: list[Mount], workdir=WORKSPACE, limits=RunLimits(), env=None,
            input=None) -> RunResult:
        if os.geteuid() == 0:
            for mount in mounts:
                if mount.writable and not mount.private:
                    chown_tree(mount.source, 65534)
        volumes, tmpfs, seeds = {}, {"/tmp": f"rw,size={limits.disk_mb}m"}, []
        for m in mounts:
            if m.private:
                volumes[str(m.source)] = {"bind": SEED + m.target, "mode": "ro"}
                tmpfs[m.target] = f"rw,size={limits.disk_mb}m,mode=0777"
                seeds.append(m.target)
            else:
                volumes[str(m.source)] = {"bind": m.target, "mode": "rw" if m.writable else "ro"}
        script = "".join(f'cp -R "{SEED}{t}/." "{t}/" && ' for t in seeds)
        input_dir = None
        if input is not None:
            # No stdin with a detached container: the input is a read-only file for the run (weaker
            # than bubblewrap's stdin, see docs/security.md).
            input_dir = tempfile.mkdtemp(prefix="cda-input-")
            Path(input_dir, "stdin").write_bytes(input)
            os.chmod(Path(input_dir, "stdin"), 0o644)
            volumes[input_dir] = {"bind": "/run/cda-input", "mode": "ro"}
            script += 'exec "$@" < /run/cda-input/stdin'
        else:
            script += 'exec "$@"'
        argv = ["/bin/sh", "-c", script, "sh", *argv]
        start = time.monotonic()
        container = self.client.containers.run(
            IMAGE, argv, detach=True, network_mode="none", read_only=True, user=SANDBOX_USER,
            working_dir=workdir, environment=env or {}, volumes=volumes,
            tmpfs=tmpfs, mem_limit=f"{limits.memory_mb}m",
            memswap_limit=f"{limits.memory_mb}m", pids_limit=limits.processes,
            nano_cpus=1_000_000_000, cap_drop=["ALL"], security_opt=["no-new-privileges"],
            ulimits=[{"Name": "fsize", "Soft": limits.file_size_mb << 20, "Hard": limits.file_size_mb << 20},
                     {"Name": "cpu", "Soft": limits.cpu_s, "Hard": limits.cpu_s}],
        )
        timed_out = False
        try:
            try:
                returncode = container.wait(timeout=limits.wall_s)["StatusCode"]
            except Exception:
                timed_out = True
                container.kill()
                returncode = None
            cap = limits.output_kb * 1024
            stdout = container.logs(stdout=True, stderr=False)
            stderr = container.logs(stdout=False, stderr=True)
        finally:
            container.remove(force=True)
            if input_dir:
                shutil.rmtree(input_dir, ignore_errors=True)
        return RunResult(
            returncode, stdout[:cap].decode("utf-8", "replace"), stderr[:cap].decode("utf-8", "replace"),
            time.monotonic() - start, timed_out, len(stdout) > cap or len(stderr) > cap,
        )
