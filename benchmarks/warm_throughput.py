"""Throughput with warm sandboxes (issue 17, item 6) on a cohort of introductory submissions:
`cda cohort grade -j 2`, warm (the default) and cold (`--cold`), and the grading service (`cda
serve`, two warm workers, the cohort posted at once by 8 clients), against bare pytest on the same
tests and submissions, two at a time, in the same run. Target: >= 10 submissions per second, warm,
through `cda cohort grade` and through the service.

Fails if one score differs between warm, cold and the service (same input, same verdict).

    python benchmarks/warm_throughput.py [--learners 400] [--jobs 2] [--no-service]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _intro_submissions import LAB, write_cohort  # noqa: E402
from _service_rate import service_rate  # noqa: E402

CDA = str(Path(sys.executable).parent / "cda")
TARGET = 10.0


class CpuMeter:
    """CPU time of a set of commands and every process they start, sandboxes included (a cgroup:
    resource usage of children misses what sandboxes' own init processes reap). None without cgroups."""

    ROOTS = (("/sys/fs/cgroup/cpuacct", "cpuacct.usage", 1e-9), ("/sys/fs/cgroup", "cpu.stat", 1e-6),
             ("/sys/fs/cgroup/unified", "cpu.stat", 1e-6))

    def __init__(self, name: str):
        self.path = None
        for root, counter, unit in self.ROOTS:
            if os.path.isfile(os.path.join(root, counter)) or os.path.isfile(os.path.join(root, "cgroup.procs")):
                path = os.path.join(root, f"cda-bench-{name}-{os.getpid()}")
                try:
                    os.mkdir(path)
                except OSError:
                    continue
                self.path, self.counter, self.unit = path, counter, unit
                break

    def preexec(self) -> None:
        if self.path:
            with open(os.path.join(self.path, "cgroup.procs"), "w") as handle:
                handle.write(str(os.getpid()))

    @property
    def seconds(self) -> float | None:
        if not self.path:
            return None
        with open(os.path.join(self.path, self.counter)) as handle:
            text = handle.read()
        value = int(text.split()[1]) if self.counter == "cpu.stat" else int(text)
        return value * self.unit

    def close(self) -> None:
        if self.path:
            try:
                os.rmdir(self.path)
            except OSError:
                pass


def bare_pytest(submissions: list[Path], jobs: int, meter: CpuMeter) -> float:
    tests = str(LAB / "grader" / "tests")

    def one(folder: Path) -> None:
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", tests], cwd=folder,
                       env={**os.environ, "PYTHONPATH": str(folder), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, preexec_fn=meter.preexec)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, submissions))
    return time.perf_counter() - start


def cohort(folder: Path, out: Path, jobs: int, mode: str, meter: CpuMeter) -> tuple[float, dict[str, float]]:
    cmd = [CDA, "cohort", "grade", str(LAB), str(folder), "-o", str(out), "-j", str(jobs), "--no-gradebook",
           f"--{mode}"]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, preexec_fn=meter.preexec)
    elapsed = time.perf_counter() - start
    scores = {path.stem: json.loads(path.read_text(encoding="utf-8"))["score"]
              for path in (out / "results").glob("*.json")}
    return elapsed, scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=400)  # the size of the measurement
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-service", action="store_true", help="skip the grading service's row")
    args = parser.parse_args()
    n = args.learners
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_cohort(Path(tmp) / "cohort", n)
        subs = sorted(folder.iterdir())
        meters = {name: CpuMeter(name) for name in ("bare", "warm", "cold")}
        try:
            bare = bare_pytest(subs, args.jobs, meters["bare"])
            warm, warm_scores = cohort(folder, Path(tmp) / "warm", args.jobs, "warm", meters["warm"])
            cold, cold_scores = cohort(folder, Path(tmp) / "cold", args.jobs, "cold", meters["cold"])
            service, service_scores = (None, cold_scores) if args.no_service else service_rate(subs, LAB, args.jobs)
            used = {name: meter.seconds for name, meter in meters.items()}
        finally:
            for meter in meters.values():
                meter.close()
    rate = {name: n / seconds for name, seconds in (("bare", bare), ("warm", warm), ("cold", cold))}
    cores = min(args.jobs, os.cpu_count() or 1)
    # CPU seconds per submission, and the rate they allow on `cores` idle cores: the wall-clock rate
    # depends on what else the machine runs, this one does not
    print(f"lab: {LAB.name}, {n} submissions, -j {args.jobs}, {os.cpu_count()} cores "
          f"(load average {os.getloadavg()[0]:.1f})")
    measured = all(v is not None for v in used.values())
    cpu = {name: seconds / n for name, seconds in used.items()} if measured else {}
    for name, label in (("bare", f"bare pytest, {args.jobs} at a time"), ("cold", "cda cohort grade --cold"),
                        ("warm", "cda cohort grade (warm)")):
        line = f"{label:34} {rate[name]:6.2f} submissions/s wall ({rate[name] / rate['bare']:.2f}x bare)"
        if measured:
            line += (f"; {cpu[name] * 1000:5.0f} ms CPU each = {cores / cpu[name]:6.2f}/s on {cores} idle cores "
                     f"({cpu['bare'] / cpu[name]:.2f}x bare)")
        print(line)
    if service is not None:
        rate["service"] = n / service
        print(f"{'cda serve, 2 warm workers':34} {rate['service']:6.2f} submissions/s wall "
              f"({rate['service'] / rate['bare']:.2f}x bare), first post to last feedback, clients included; "
              f"target >= {TARGET:g}/s: {'met' if rate['service'] >= TARGET else 'MISSED'}")
    verdict = f"target >= {TARGET:g}/s: {'met' if rate['warm'] >= TARGET else 'MISSED'} on the wall clock"
    if measured:
        verdict += f", {'met' if cores / cpu['warm'] >= TARGET else 'MISSED'} by CPU time on {cores} idle cores"
    print(f"warm vs cold: {rate['warm'] / rate['cold']:.2f}x wall" +
          (f", {cpu['cold'] / cpu['warm']:.2f}x less CPU" if measured else "") + f"; {verdict}")
    differ = sorted(k for k in cold_scores if not warm_scores.get(k) == service_scores.get(k) == cold_scores[k])
    if differ or len(cold_scores) != n:
        print(f"scores differ between warm, cold and the service: {differ[:5]}")
        return 1
    print(f"same scores warm, cold{'' if args.no_service else ' and through the service'}: {n}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
