"""Cost of the run-time injection watches on grading the C8 solution: the statement log (SQL) and
the Redis monitor.

Grades labs/c8-acces-donnees/solution with the hidden tests' `statement_log` and `redis_monitor`
options both off and both on
(copies of the lab in a temporary folder, the option added or removed), alternating, on one shared
service pool, and prints the median of each: the whole grading and the hidden tests' check alone;
then the watch's own work per run (settings, flush, reading the log) and the server-side cost of
logging one statement (5000 parameterised queries, log on and off).

    .venv/bin/python benchmarks/statement_log.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graders.checks import redis_monitor, statement_log  # noqa: E402
from graders.engine import grade  # noqa: E402
from graders.labs import load_lab  # noqa: E402
from graders.services import ServicePool  # noqa: E402

LAB = REPO / "labs" / "c8-acces-donnees"
OPTION = re.compile(r"^(statement_log|redis_monitor)\s*=.*\n", re.M)
ANCHOR = re.compile(r'^parametrized = "all".*\n', re.M)


def lab_copy(root: Path, on: bool):
    folder = root / ("on" if on else "off") / LAB.name
    shutil.copytree(LAB, folder, ignore=shutil.ignore_patterns("__pycache__"))
    toml = OPTION.sub("", (folder / "lab.toml").read_text(encoding="utf-8"))
    if on:
        anchor = ANCHOR.search(toml)
        toml = toml[:anchor.end()] + "statement_log = true\nredis_monitor = true\n" + toml[anchor.end():]
    (folder / "lab.toml").write_text(toml, encoding="utf-8")
    return load_lab(folder)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    times: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    watched: list[tuple[float, int]] = []
    redis_watch: list[dict] = []
    collect = statement_log.StatementWatch.collect

    def timed_collect(watch):
        observed = collect(watch)
        watched.append((observed.seconds, len(observed.statements)))
        return observed

    statement_log.StatementWatch.collect = timed_collect
    collect_commands = redis_monitor.CommandWatch.collect

    def timed_commands(watch):  # hidden checks keep no metrics in the result: read them on the way
        observed = collect_commands(watch)
        redis_watch.append({"seconds": observed.seconds, "commands": len(observed.commands)})
        return observed

    redis_monitor.CommandWatch.collect = timed_commands
    with tempfile.TemporaryDirectory() as tmp, ServicePool() as pool:
        labs = {on: lab_copy(Path(tmp), on) for on in (False, True)}
        grade(labs[True], LAB / "solution", services={"pool": pool})  # warm up: cluster, template, caches
        for _ in range(rounds):
            for on in (False, True):
                start = time.perf_counter()
                result = grade(labs[on], LAB / "solution", services={"pool": pool})
                total = time.perf_counter() - start
                hidden = next(c for c in result.checks if c.id == "tests-caches")
                assert result.score == result.max_score, "the solution must grade 100 %"
                times[on].append((total, hidden.duration_s))
        runs = list(watched)
        per_statement = statement_cost(pool)
    for on in (False, True):
        totals, hidden = [t for t, _ in times[on]], [h for _, h in times[on]]
        print(f"watches {'on ' if on else 'off'}: grading {statistics.median(totals):6.2f} s, "
              f"hidden tests {statistics.median(hidden):6.2f} s (median of {rounds}; "
              f"all: {', '.join(f'{t:.2f}' for t in totals)})")
    off, on = (statistics.median(t for t, _ in times[k]) for k in (False, True))
    off_h, on_h = (statistics.median(h for _, h in times[k]) for k in (False, True))
    print(f"cost: {on - off:+.2f} s on the grading ({100 * (on - off) / off:+.1f} %), "
          f"{on_h - off_h:+.2f} s on the hidden tests")
    seconds, count = statistics.median(s for s, _ in runs), statistics.median(n for _, n in runs)
    print(f"the watch itself: {seconds * 1000:.0f} ms per run (median of {len(runs)}), {count:.0f} statements read")
    print(f"server side: {per_statement * 1e6:+.0f} µs per logged statement (5000 queries, log on vs off)")
    print(f"the Redis monitor: {statistics.median(m['seconds'] for m in redis_watch) * 1000:.0f} ms per run, "
          f"{statistics.median(m['commands'] for m in redis_watch):.0f} commands seen")
    return 0


def statement_cost(pool, queries: int = 5000) -> float:
    service = pool.postgres(exposed=True)
    spent = {}
    for on in (False, True):
        with service.provision() as db:
            watch = statement_log.StatementWatch.start(db) if on else None
            with db.connect(autocommit=True) as conn:
                start = time.perf_counter()
                for i in range(queries):
                    conn.execute("SELECT %s::int + 1", [i])
                spent[on] = time.perf_counter() - start
            if watch is not None:
                watch.collect()
    return (spent[True] - spent[False]) / queries


if __name__ == "__main__":
    sys.exit(main())
