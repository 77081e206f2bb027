"""Les versions épinglées de requirements.txt, comparées aux plages de l'instantané OSV du lab
(sa copie de confiance dans ce dossier : celle de la soumission peut avoir été modifiée)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from packaging.version import InvalidVersion, Version

SNAPSHOT = Path(__file__).parent / "osv"
PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)")


def pins() -> dict[str, str]:
    path = Path(os.environ.get("CDA_SUBMISSION") or Path.cwd()) / "requirements.txt"
    if not path.is_file():
        pytest.fail("requirements.txt absent")
    found = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = PIN.match(line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def affected_by(package: str, version: Version) -> list[str]:
    """The advisories of the snapshot whose ECOSYSTEM ranges hold `version` of `package`."""
    hits = []
    for path in sorted(SNAPSHOT.glob("*.json")):
        advisory = json.loads(path.read_text(encoding="utf-8"))
        for affected in advisory["affected"]:
            if affected["package"]["ecosystem"] != "PyPI" or affected["package"]["name"] != package:
                continue
            for rng in affected["ranges"]:
                events = {k: v for event in rng["events"] for k, v in event.items()}
                low = Version(events.get("introduced", "0"))
                if low <= version and ("fixed" not in events or version < Version(events["fixed"])):
                    hits.append(advisory["id"])
    return hits


@pytest.mark.parametrize("package", ["flask", "jinja2", "requests", "urllib3", "pyyaml"])
def test_version_hors_des_plages_concernees(package):
    pinned = pins().get(package)
    assert pinned, f"{package} n'est plus épinglé (==) dans requirements.txt"
    try:
        version = Version(pinned)
    except InvalidVersion:
        pytest.fail(f"{package}=={pinned} n'est pas une version valide")
    hits = affected_by(package, version)
    assert not hits, f"{package}=={pinned} est encore concerné par {', '.join(hits)}"
