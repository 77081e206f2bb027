"""Golden results, as exercism's test runners keep them: the fixture lab mini-lab graded end to end
(`cda grade --json`) for its solution, its starter and its example `partial`, compared with
tests/golden/mini-lab/<name>.json once what varies from run to run is normalised.

After an intended change of the results (the contract, a check's feedback, the fixture lab):
`make golden` rewrites them (CDA_UPDATE_GOLDEN=1); review the diff, commit it.
"""

from __future__ import annotations

import json
import re
import tempfile
from typing import Any

import jsonschema
import pytest

from graders.schema import result_schema
from tests.helpers import FIXTURE_LABS, REPO, assert_golden, run_cda

LAB = FIXTURE_LABS / "mini-lab"
SUBMISSIONS = {"solution": LAB / "solution", "starter": LAB / "starter", "partial": LAB / "examples" / "partial"}

# What differs between two runs of the same grading, and what it becomes.
TIMINGS = {"duration_s", "execution_time", "elapsed_s"}
PLACEHOLDERS = {"grader_version": "<grader version>", "sandbox": "<sandbox>"}
TEMP_PATH = re.compile(r"(?:/private)?(?:%s|/tmp|/var/tmp)/[^\s'\"():,]+" % re.escape(tempfile.gettempdir()))
REPO_PATH = re.compile(re.escape(str(REPO)) + r"(?=/|\b)")


def normalise(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if key in TIMINGS and isinstance(value, (int, float)):
        return 0.0
    if key in PLACEHOLDERS and value is not None:
        return PLACEHOLDERS[key]
    if isinstance(value, str):
        return TEMP_PATH.sub("<tmp>", REPO_PATH.sub("<repo>", value))
    return value


def test_normalise_keeps_what_a_grading_decides():
    raw = {"score": 4.0, "duration_s": 1.25, "grader_version": "0.1.0", "sandbox": "bubblewrap", "error": None,
           "checks": [{"duration_s": 0.5, "message": f"failed in {tempfile.gettempdir()}/cda-x1/ws/a.py and {REPO}/x"}]}
    assert normalise(raw) == {"score": 4.0, "duration_s": 0.0, "grader_version": "<grader version>",
                              "sandbox": "<sandbox>", "error": None,
                              "checks": [{"duration_s": 0.0, "message": "failed in <tmp> and <repo>/x"}]}


@pytest.mark.parametrize("name", sorted(SUBMISSIONS))
def test_mini_lab_result_is_golden(name, tmp_path):
    out = tmp_path / "result.json"
    done = run_cda("grade", "mini-lab", str(SUBMISSIONS[name]), "--json", str(out), "-q", "--lang", "fr",
                   labs_dir=FIXTURE_LABS)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(result, result_schema())
    assert_golden(f"mini-lab/{name}.json", json.dumps(normalise(result), indent=2, ensure_ascii=False) + "\n")
