"""C6 worked example (course/competences/c6.md): the layered package under course/exemples/c6/mediatheque
runs (route -> service -> repository), and import-linter checks it with the C6 lab's own contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graders.checks.import_contracts import ImportContractsOptions
from graders.labs import load_lab
from tests.helpers import REPO

EXAMPLES = REPO / "course" / "exemples" / "c6"
FILES = ["mediatheque/__init__.py", "mediatheque/domain/__init__.py", "mediatheque/data/__init__.py",
         "mediatheque/services/__init__.py", "mediatheque/presentation/__init__.py"]
RUNNER = REPO / "graders" / "runner" / "run_import_linter.py"


def test_every_example_file_is_tested():
    found = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.py"))
    assert found == sorted(FILES)
    assert not [p for p in EXAMPLES.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]


def _run(workspace: Path, code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-I", "-c", code], cwd=workspace, capture_output=True, text=True,
                          timeout=60, env={"PYTHONPATH": str(workspace), "PYTHONDONTWRITEBYTECODE": "1"})


def test_the_route_goes_through_the_service_to_the_repository(tmp_path):
    workspace = Path(shutil.copytree(EXAMPLES, tmp_path / "ws"))
    code = textwrap.dedent("""
        import sys; sys.path.insert(0, ".")
        from datetime import date
        from mediatheque import create_app
        client = create_app(today=date(2031, 3, 11)).test_client()
        first = client.post("/api/loans", json={"member_id": 1, "item_id": 10, "kind": "dvd"})
        again = client.post("/api/loans", json={"member_id": 2, "item_id": 10, "kind": "dvd"})
        many = [client.post("/api/loans", json={"member_id": 3, "item_id": i, "kind": "livre"}).status_code for i in range(20, 26)]
        wrong = client.post("/api/loans", json={"member_id": "1 OR 1=1", "item_id": 11, "kind": "dvd"})
        print(first.status_code, first.get_json()["due_on"], again.status_code, again.get_json()["error"], many, wrong.status_code)
    """)
    done = _run(workspace, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "201 2031-03-18 409 exemplaire déjà prêté [201, 201, 201, 201, 201, 409] 400"


def _lint(workspace: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    check = next(c for c in load_lab(REPO / "labs" / "c6-architecture-couches").manifest.checks
                 if c.id == "contrats-de-couches")
    config = tmp_path / "importlinter.ini"
    config.write_text(ImportContractsOptions(**check.options).ini(), encoding="utf-8")
    return subprocess.run([sys.executable, "-I", str(RUNNER), str(workspace), str(config)],
                          capture_output=True, text=True, timeout=120)


def test_the_lab_s_layer_contracts_hold(tmp_path):
    done = _lint(Path(shutil.copytree(EXAMPLES, tmp_path / "ws")), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("layer", "line", "contract"), [
    ("presentation", "from mediatheque.data import InMemoryLoanRepository", "passe par les services"),
    ("domain", "import flask", "Seule la présentation connaît Flask"),
])
def test_a_wrong_import_breaks_a_contract(tmp_path, layer, line, contract):
    workspace = Path(shutil.copytree(EXAMPLES, tmp_path / "ws"))
    module = workspace / "mediatheque" / layer / "__init__.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("from __future__ import annotations\n", f"from __future__ import annotations\n\n{line}\n", 1),
                      encoding="utf-8")
    done = _lint(workspace, tmp_path)
    assert done.returncode != 0 and "1 broken" in done.stdout
    assert contract in done.stdout.split("Broken contracts", 1)[1]
