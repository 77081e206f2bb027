"""Time to provision a fresh graded database: clone of a template vs plain CREATE DATABASE + schema load.

Both paths give the same result: a new database and its own LOGIN role, holding the C8 lab's schema
and data set, then dropped. A second scenario adds 20 000 generated loans (a larger reference data
set), where loading costs more and cloning does not. The server is DATABASE_URL's when set, else a throwaway cluster
(its start-up time is printed too). Also times a throwaway redis-server per submission.

    .venv/bin/python benchmarks/db_provisioning.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from psycopg import sql  # noqa: E402

from graders.services import ServicePool  # noqa: E402

LAB = REPO / "labs" / "c8-acces-donnees"
FILES = [LAB / "starter" / "db" / "schema.sql", LAB / "grader" / "tests" / "seed.sql"]
BULK = """
INSERT INTO members (card_number, last_name, first_name, email)
SELECT 'M' || lpad((1000 + n)::text, 6, '0'), 'Nom' || n, 'Prénom' || n, 'adherent' || n || '@example.org'
FROM generate_series(1, 2000) AS n;
INSERT INTO items (document_id, barcode) SELECT 1 + n % 5, 'B' || n FROM generate_series(1, 20000) AS n;
INSERT INTO loans (item_id, member_id, loaned_on, due_on, returned_on)
SELECT i.id, 101 + i.id % 2000, DATE '2030-01-01', DATE '2030-01-22', DATE '2030-01-20'
FROM items AS i WHERE i.barcode LIKE 'B%';
"""


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def from_template(service, template: str) -> None:
    db = service.provision(template=template)
    db.release()


def plain(service, files) -> None:
    db = service.provision()  # CREATE ROLE + CREATE DATABASE (from template0)
    with db.connect() as conn:  # then load the schema and the data set as the submission's role
        with conn.transaction():
            for path in files:
                conn.execute(path.read_text(encoding="utf-8"))
    db.release()


def compare(service, files, rounds: int, label: str) -> float:
    started = time.perf_counter()
    template = service.template(files)
    print(f"\n[{label}] template built once in {time.perf_counter() - started:.3f} s")
    from_template(service, template)  # warm-up
    plain(service, files)
    clone = [timed(lambda: from_template(service, template)) for _ in range(rounds)]
    load = [timed(lambda: plain(service, files)) for _ in range(rounds)]
    median_clone, median_load = statistics.median(clone), statistics.median(load)
    p90 = lambda xs: sorted(xs)[max(0, int(0.9 * len(xs)) - 1)] * 1000  # noqa: E731
    print(f"clone of template : median {median_clone * 1000:7.1f} ms   p90 {p90(clone):7.1f} ms")
    print(f"create + load     : median {median_load * 1000:7.1f} ms   p90 {p90(load):7.1f} ms")
    ratio = median_load / median_clone
    print(f"ratio (create + load) / clone: {ratio:.2f}")
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with ServicePool() as pool:
        started = time.perf_counter()
        service = pool.postgres(exposed=False)
        print(f"server: {type(service).__name__} (ready in {time.perf_counter() - started:.2f} s)")
        with service.connect_admin() as conn:  # warm-up: first connection, catalog caches
            conn.execute(sql.SQL("SELECT 1"))
        print(f"rounds: {args.rounds} per path (each: create role + database ready to grade, then drop both)")
        compare(service, FILES, args.rounds, "C8 schema + data set")
        with tempfile.NamedTemporaryFile("w", suffix=".sql", encoding="utf-8") as bulk:
            bulk.write(BULK)
            bulk.flush()
            compare(service, FILES + [Path(bulk.name)], args.rounds, "C8 schema + data set + 20 000 loans")
        redis_times = []
        try:
            redis = pool.redis()
            for _ in range(args.rounds):
                redis_times.append(timed(lambda: redis.provision().release()))
        except Exception as exc:  # noqa: BLE001 (report, do not fail the PostgreSQL numbers)
            print(f"redis: not measured ({exc})")
        leftovers = service.inventory()
    if redis_times:
        print(f"\nthrowaway redis-server (start, ready, stop): median {statistics.median(redis_times) * 1000:.1f} ms")
    if leftovers["databases"] or leftovers["roles"]:
        print(f"LEFTOVERS: {leftovers}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
