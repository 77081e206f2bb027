"""Worked example of C2 (course/competences/c2.md): the accessible catalogue search form.

Files of course/exemples/c2/: catalogue.py, templates/base.html, templates/catalogue.html,
static/style.css, test_interface.py. The example's own interface tests run in a subprocess; then the
pages it renders (empty form, form with errors, results table) are audited in the
shared Chromium with the grader's RGAA audit (axe-core and the project's DOM rules), which must find
nothing, while the same form with placeholders instead of labels must fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.i18n import gettext_for
from graders.web.audit import AuditOptions, run_audit
from graders.web.serve import StaticServer

EXAMPLE = Path(__file__).resolve().parents[2] / "course" / "exemples" / "c2"
_ = gettext_for("fr")


def test_the_examples_own_interface_tests_pass(tmp_path):
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ini),
                          "--rootdir", str(EXAMPLE), "test_interface.py"], cwd=EXAMPLE, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "5 passed" in run.stdout


def rendered_pages(folder: Path) -> dict[str, str]:
    """The three states of the page, rendered by the example's Flask app, as static files."""
    sys.path.insert(0, str(EXAMPLE))
    try:
        from catalogue import create_app
    finally:
        sys.path.remove(str(EXAMPLE))
    client = create_app().test_client()
    pages = {
        "vide.html": client.get("/catalogue"),
        "erreurs.html": client.get("/catalogue?q=&type=jeu"),
        "resultats.html": client.get("/catalogue?q=les&type=tous"),
    }
    html = {name: response.get_data(as_text=True) for name, response in pages.items()}
    unlabelled = re.sub(r'<label for="q">[^<]*</label>', "", html["vide.html"])
    html["placeholder.html"] = unlabelled.replace('id="q"', 'id="q" placeholder="Titre"')
    (folder / "static").mkdir()
    shutil.copy(EXAMPLE / "static" / "style.css", folder / "static" / "style.css")
    for name, text in html.items():
        (folder / name).write_text(text, encoding="utf-8")
    return html


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_rendered_form_passes_the_rgaa_audit(browser, tmp_path):
    html = rendered_pages(tmp_path)
    assert 'role="alert"' in html["erreurs.html"] and "<caption>" in html["resultats.html"]
    with StaticServer(tmp_path) as server:
        urls = {name: server.url(name) for name in html}
        report = run_audit(browser, list(urls.values()), AuditOptions(families=("rgaa",)), _)
    found: dict[str, list[str]] = {}
    for issue in report.issues["rgaa"]:
        found.setdefault(issue.page.rsplit("/", 1)[-1], []).append(issue.rule)
    for name in ("vide.html", "erreurs.html", "resultats.html"):
        assert found.get(name, []) == [], f"{name}: {found.get(name)}"
    assert any("11.1" in rule for rule in found.get("placeholder.html", [])), found
