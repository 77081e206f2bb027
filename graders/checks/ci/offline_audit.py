"""`pip-audit` offline, for the CI lab's sandboxed pipelines (which have no network): the pinned
requirements of `-r FILE` compared with a frozen OSV snapshot (CDA_OFFLINE_ADVISORIES). Same verdict
as pip-audit: exit 1 and one line per known vulnerability, 0 when none. Other options are accepted
and ignored (`--disable-pip`, `--no-deps`, `--strict`...). Standard library plus `packaging`."""

import json
import os
import re
import sys

from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9._+!-]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(paths: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                match = PIN.match(line.split("#", 1)[0])
                if match:
                    found.append((normalise(match.group(1)), match.group(2)))
    return found


def affected(version: str, ranges: list[dict]) -> bool:
    try:
        current = Version(version)
    except InvalidVersion:
        return False
    for entry in ranges:
        introduced, fixed = Version("0"), None
        for event in entry.get("events", []):
            if "introduced" in event:
                introduced = Version(event["introduced"])
            if "fixed" in event:
                fixed = Version(event["fixed"])
        if current >= introduced and (fixed is None or current < fixed):
            return True
    return False


def main(argv: list[str]) -> int:
    files = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg in ("-r", "--requirement")]
    files += [arg.split("=", 1)[1] for arg in argv if arg.startswith("--requirement=")]
    if not files:
        print("pip-audit (offline): give the requirements with -r FILE", file=sys.stderr)
        return 2
    try:
        with open(os.environ["CDA_OFFLINE_ADVISORIES"], encoding="utf-8") as handle:
            snapshot = json.load(handle)
        requirements = pins(files)
    except (KeyError, OSError, ValueError) as exc:
        print(f"pip-audit (offline): {exc}", file=sys.stderr)
        return 2
    found = []
    for name, version in requirements:
        for vuln in snapshot.get("vulns", []):
            for item in vuln.get("affected", []):
                if normalise(item["package"]["name"]) == name and affected(version, item.get("ranges", [])):
                    found.append((name, version, vuln["id"], ", ".join(vuln.get("aliases", []))))
    print(f"pip-audit (offline, OSV snapshot of {snapshot.get('snapshot_date', '?')})")
    if not found:
        print("No known vulnerabilities found")
        return 0
    print(f"Found {len(found)} known vulnerabilit{'y' if len(found) == 1 else 'ies'} in "
          f"{len({f[0] for f in found})} package(s)")
    print("Name Version ID Aliases")
    for row in found:
        print(" ".join(row))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
