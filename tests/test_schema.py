"""docs/result.schema.json: generated from the live `Result` model, never stale, and what cda writes
validates against it. After a change of graders/results.py: `make schema`."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from graders.render import render
from graders.schema import COMMITTED, result_schema, schema_text
from tests.helpers import REPO
from tests.render_samples import audit_result, error_result, incident_result, make_result


def test_committed_schema_is_the_live_model():
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else "(missing)"
    assert committed == schema_text(), f"{COMMITTED.relative_to(REPO)} is stale: run `make schema`"


def test_what_cda_writes_validates():
    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for result in (make_result(), error_result(), incident_result(), audit_result()):
        jsonschema.validate(json.loads(render(result, "json")), schema)
    with pytest.raises(jsonschema.ValidationError, match="'status' is a required property"):
        jsonschema.validate({"lab": "x"}, schema)


def test_schema_command_prints_or_writes_it(tmp_path):
    target = tmp_path / "docs" / "result.schema.json"
    done = subprocess.run([sys.executable, "-m", "graders.schema", "--output", str(target)], capture_output=True,
                          text=True, cwd=REPO)
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert target.read_text(encoding="utf-8") == schema_text()
    printed = subprocess.run([sys.executable, "-m", "graders.schema"], capture_output=True, text=True, cwd=REPO)
    assert printed.stdout == schema_text()
