"""Precision of `cda scan` against bare bandit on the labelled corpus (benchmarks/corpus/security).

Every corpus file is one test case: a small Flask, Django, FastAPI, DB-API or CLI snippet with
either a real vulnerability (`# expect: CWE-89` on the vulnerable line) or a safe look-alike
(`# safe: CWE-89` on the line a pattern matcher would flag). A tool flags a case when it reports,
anywhere in that file, a finding with the case's CWE (or an equivalent one, see EQUIVALENT).
Per category: TPR = flagged vulnerable cases / vulnerable cases, FPR = flagged safe cases / safe
cases, precision = flagged vulnerable / all flagged, score = TPR - FPR (the OWASP Benchmark score). Bare bandit runs with its defaults
(`bandit -r`), its CWE as it reports it.

    python benchmarks/security_precision.py [--json FILE] [--corpus DIR] [--min-margin 0.3]

Exit 1 when cda's mean score does not beat bandit's by --min-margin.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "corpus" / "security"
MARKER = re.compile(r"#\s*(expect|safe):\s*(CWE-\d+)")
# A finding with any CWE of the group counts for a case labelled with the key.
EQUIVALENT = {
    "CWE-94": {"CWE-94", "CWE-95", "CWE-1336"},
    "CWE-328": {"CWE-328", "CWE-327"},
    "CWE-330": {"CWE-330", "CWE-338"},
    "CWE-798": {"CWE-798", "CWE-259", "CWE-321"},
    "CWE-916": {"CWE-916", "CWE-759", "CWE-760"},
    "CWE-295": {"CWE-295"},
}
NAMES = {
    "CWE-89": "SQL injection", "CWE-78": "OS command injection", "CWE-22": "path traversal",
    "CWE-79": "XSS", "CWE-601": "open redirect", "CWE-94": "code injection", "CWE-502": "deserialisation",
    "CWE-611": "XXE", "CWE-90": "LDAP injection", "CWE-643": "XPath injection", "CWE-918": "SSRF",
    "CWE-501": "trust boundary", "CWE-328": "weak hash", "CWE-916": "password storage",
    "CWE-330": "weak random", "CWE-614": "cookie Secure", "CWE-295": "TLS verification",
    "CWE-798": "hard-coded secret",
}


@dataclass
class Case:
    path: str
    cwe: str
    vulnerable: bool
    line: int


def load_cases(corpus: Path) -> list[Case]:
    cases = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix not in {".py", ".cfg", ".ini", ".env", ".yml", ".yaml", ".txt"}:
            continue
        marks = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for kind, cwe in MARKER.findall(line):
                marks.append((kind, cwe, number))
        if not marks:
            continue
        kinds = {(k, c) for k, c, _ in marks}
        if len(kinds) != 1:
            raise SystemExit(f"{path}: one label per case file, found {sorted(kinds)}")
        kind, cwe, line = marks[0]
        cases.append(Case(str(path.relative_to(corpus)), cwe, kind == "expect", line))
    return cases


def cda_findings(corpus: Path) -> tuple[dict[str, list[tuple[set[str], int | None]]], float]:
    sys.path.insert(0, str(REPO))
    from graders.i18n import gettext_for
    from graders.security.scan import ScanOptions, run_scan

    started = time.monotonic()
    report = run_scan(corpus, ScanOptions(families=("injection", "secrets", "crypto"), git_history=False,
                                          min_confidence="medium"), gettext_for("en"))
    if report.errors():
        raise SystemExit(f"cda scan failed: {report.errors()}")
    found: dict[str, list] = defaultdict(list)
    for hit in report.hits():
        found[hit.path].append((hit.cwes, hit.line))
    return found, time.monotonic() - started


def bandit_findings(corpus: Path) -> tuple[dict[str, list[tuple[set[str], int | None]]], float]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "bandit", "-r", ".", "-f", "json", "-q", "--exit-zero"],
                          cwd=corpus, capture_output=True, text=True, timeout=600)
    data = json.loads(proc.stdout)
    found: dict[str, list] = defaultdict(list)
    for issue in data.get("results", []):
        cwe = (issue.get("issue_cwe") or {}).get("id")
        found[issue["filename"].removeprefix("./")].append(({f"CWE-{cwe}"} if cwe else set(), issue.get("line_number")))
    return found, time.monotonic() - started


def flagged(case: Case, found) -> tuple[bool, bool]:
    """(flagged in the file, flagged at the labelled line)."""
    wanted = EQUIVALENT.get(case.cwe, {case.cwe})
    hits = [(cwes, line) for cwes, line in found.get(case.path, []) if cwes & wanted]
    return bool(hits), any(line == case.line for _, line in hits)


def score(cases: list[Case], found) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for cwe in sorted({c.cwe for c in cases}, key=lambda c: int(c.split("-")[1])):
        group = [c for c in cases if c.cwe == cwe]
        vulnerable = [c for c in group if c.vulnerable]
        safe = [c for c in group if not c.vulnerable]
        tp = [c for c in vulnerable if flagged(c, found)[0]]
        fp = [c for c in safe if flagged(c, found)[0]]
        at_line = [c for c in tp if flagged(c, found)[1]]
        tpr = len(tp) / len(vulnerable) if vulnerable else 0.0
        fpr = len(fp) / len(safe) if safe else 0.0
        precision = len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0
        table[cwe] = {"vulnerable": len(vulnerable), "safe": len(safe), "tp": len(tp), "fp": len(fp),
                      "tpr": round(tpr, 3), "fpr": round(fpr, 3), "score": round(tpr - fpr, 3),
                      "precision": round(precision, 3),
                      "at_line": len(at_line), "missed": [c.path for c in vulnerable if c not in tp],
                      "false_alarms": [c.path for c in safe if c in fp]}
    return table


def print_details(table: dict[str, dict]) -> None:
    """The missed cases and the false alarms of each category."""
    for category, row in table.items():
        for path in row["missed"]:
            print(f"  cda missed      {category}: {path}")
        for path in row["false_alarms"]:
            print(f"  cda false alarm {category}: {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, help="Write the per-CWE table as JSON.")
    parser.add_argument("--min-margin", type=float, default=0.3)
    parser.add_argument("--details", action="store_true", help="List missed cases and false alarms.")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    cases = load_cases(corpus)
    cda, cda_s = cda_findings(corpus)
    bandit, bandit_s = bandit_findings(corpus)
    ours, theirs = score(cases, cda), score(cases, bandit)
    width = max(len(NAMES.get(c, c)) for c in ours) + 10
    print(f"{len(cases)} cases ({sum(c.vulnerable for c in cases)} vulnerable, "
          f"{sum(not c.vulnerable for c in cases)} safe look-alikes); cda {cda_s:.1f} s, bandit {bandit_s:.1f} s\n")
    print(f"{'category':<{width}} {'n':>6}   {'cda prec':>8} {'TPR':>5} {'FPR':>5} {'score':>6}   "
          f"{'bandit prec':>11} {'TPR':>5} {'FPR':>5} {'score':>6}")
    for cwe, row in ours.items():
        other = theirs[cwe]
        label = f"{cwe} {NAMES.get(cwe, '')}"
        print(f"{label:<{width}} {row['vulnerable']:>3}/{row['safe']:<2}   {row['precision']:>8.2f} {row['tpr']:>5.2f} "
              f"{row['fpr']:>5.2f} {row['score']:>6.2f}   {other['precision']:>11.2f} {other['tpr']:>5.2f} "
              f"{other['fpr']:>5.2f} {other['score']:>6.2f}")
    mean_cda = sum(r["score"] for r in ours.values()) / len(ours)
    mean_bandit = sum(r["score"] for r in theirs.values()) / len(theirs)
    tp_total = sum(r["tp"] for r in ours.values())
    at_line = sum(r["at_line"] for r in ours.values())
    print(f"\nmean (TPR - FPR): cda {mean_cda:.3f}, bandit {mean_bandit:.3f} (margin {mean_cda - mean_bandit:+.3f})")
    print(f"cda true positives reported at the labelled line: {at_line}/{tp_total}")
    for name, table in (("cda", ours), ("bandit", theirs)):
        fp, safe = sum(r["fp"] for r in table.values()), sum(r["safe"] for r in table.values())
        tp = sum(r["tp"] for r in table.values())
        print(f"overall {name}: false-positive rate {fp}/{safe} = {fp / safe:.3f}, "
              f"precision {tp}/{tp + fp} = {tp / max(1, tp + fp):.3f}")
    print("(an upper bound: the cases were written by the authors of the rules; see docs/security-scan.md)")
    if args.details:
        print_details(ours)
    if args.json:
        args.json.write_text(json.dumps({"cda": ours, "bandit": theirs, "mean": {"cda": mean_cda, "bandit": mean_bandit}},
                                        indent=2), encoding="utf-8")
    return 0 if mean_cda - mean_bandit >= args.min_margin else 1


if __name__ == "__main__":
    sys.exit(main())
