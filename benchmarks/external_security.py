"""Security scan measured on an outside corpus: OWASP Benchmark for Python, against bare bandit.

The corpus (not shipped with the project) is OWASP-Benchmark/BenchmarkPython: `testcode/
BenchmarkTest*.py` and its `expectedresults-*.csv` (test name, category, real vulnerability, CWE).
Only the test files present are scored (a partial copy is fine: the CSV labels each file). A tool
flags a case when it reports, anywhere in that file, a finding with the case's CWE or an
equivalent one (the same groups as benchmarks/security_precision.py). Per OWASP category: TPR, FPR
and the Benchmark score TPR - FPR; then the mean over categories and the overall FPR.

    python benchmarks/external_security.py [--corpus DIR] [--details]

DIR (or env CDA_EXTERNAL_CORPORA) holds `BenchmarkPython/`. Without it the benchmark says so and
exits 0. It measures and never fails on the figures (the targets are in docs/security-scan.md).
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _external import corpus_args, find_corpus, skipped  # noqa: E402
from security_precision import Case, bandit_findings, cda_findings, flagged, print_details  # noqa: E402

NAME = "BenchmarkPython"


def load_cases(folder: Path) -> list[tuple[str, Case]]:
    """(OWASP category, case) for every labelled test whose file is present."""
    present = {p.stem: p.name for p in (folder / "testcode").glob("BenchmarkTest*.py")}
    cases = []
    for path in sorted(folder.glob("expectedresults*.csv")):
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines()):
            if not row or row[0].startswith("#") or row[0] not in present:
                continue
            cases.append((row[1], Case(present[row[0]], f"CWE-{row[3].strip()}", row[2].strip() == "true", 0)))
    return cases


def table(cases: list[tuple[str, Case]], found) -> dict[str, dict]:
    rows = {}
    for category in sorted({c for c, _ in cases}):
        group = [case for c, case in cases if c == category]
        real = [c for c in group if c.vulnerable]
        safe = [c for c in group if not c.vulnerable]
        tp = sum(flagged(c, found)[0] for c in real)
        fp = sum(flagged(c, found)[0] for c in safe)
        tpr = tp / len(real) if real else 0.0
        fpr = fp / len(safe) if safe else 0.0
        rows[category] = {"real": len(real), "safe": len(safe), "tp": tp, "fp": fp, "tpr": tpr, "fpr": fpr,
                          "score": tpr - fpr, "missed": [c.path for c in real if not flagged(c, found)[0]],
                          "false_alarms": [c.path for c in safe if flagged(c, found)[0]]}
    return rows


def main() -> int:
    args = corpus_args(__doc__.splitlines()[0], lambda p: p.add_argument(
        "--details", action="store_true", help="list missed cases and false alarms"))
    folder = find_corpus(args.corpus, NAME, lambda f: (f / "testcode").is_dir() and any(f.glob("expectedresults*.csv")))
    if folder is None:
        return skipped(NAME, "docs/security-scan.md")
    cases = load_cases(folder)
    if not cases:
        print(f"skipped: no labelled test file in {folder}")
        return 0
    work = Path(tempfile.mkdtemp(prefix="cda-bench-owasp-"))
    try:
        for _category, case in cases:
            shutil.copy(folder / "testcode" / case.path, work / case.path)
        ours = table(cases, cda_findings(work)[0])
        theirs = table(cases, bandit_findings(work)[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"corpus: {NAME}, {len(cases)} labelled test files present "
          f"({sum(c.vulnerable for _, c in cases)} real, {sum(not c.vulnerable for _, c in cases)} safe)\n")
    print(f"{'category':<16} {'real/safe':>9}   {'cda TPR':>7} {'FPR':>5} {'score':>6}   {'bandit TPR':>10} {'FPR':>5} {'score':>6}")
    for category, row in ours.items():
        other = theirs[category]
        print(f"{category:<16} {row['real']:>4}/{row['safe']:<4}   {row['tpr']:>7.2f} {row['fpr']:>5.2f} {row['score']:>+6.2f}   "
              f"{other['tpr']:>10.2f} {other['fpr']:>5.2f} {other['score']:>+6.2f}")
    for name, rows in (("cda", ours), ("bandit", theirs)):
        mean = sum(r["score"] for r in rows.values()) / len(rows)
        fp, safe = sum(r["fp"] for r in rows.values()), sum(r["safe"] for r in rows.values())
        print(f"{name}: mean category score {mean:+.3f}, overall FPR {fp}/{safe} = {fp / max(1, safe):.3f}")
    if args.details:
        print_details(ours)
    return 0


if __name__ == "__main__":
    sys.exit(main())
