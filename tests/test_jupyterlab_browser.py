"""JupyterLab with the nbgrader extensions on the course, driven by Playwright (Debian Chromium).

A learner fetches the released assignment from the Assignments panel, edits a cell, saves and
submits it; an instructor opens the formgrader. The server is started the way `make lab` starts it.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
import time
import urllib.request

import nbformat
import pytest

from graders.notebooks.course import lab_command, nbgrader, nbgrader_env

LAB_ID = "nb-c3-regles-metier"
NB = "regles_metier.ipynb"
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("jupyterlab")]

ANSWER = '''def est_mineur(annee_naissance, aujourd_hui):
    return annee_naissance is not None and aujourd_hui.year - annee_naissance < 18

def peut_emprunter(adherent, prets, aujourd_hui):
    return True, "ok"  # MODIFIE-DANS-JUPYTERLAB
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    base = tmp_path_factory.mktemp("jlab")
    root, exchange, home = base / "course", base / "exchange", base / "home"
    for folder in (root, home):
        folder.mkdir()
    exchange.mkdir()
    exchange.chmod(0o777)
    env = nbgrader_env(root, exchange, CDA_EXCHANGE_CACHE=str(home / ".nbgrader_cache"), CDA_LEARNER_DIR=str(home))
    for step in ("generate_assignment", "release_assignment"):
        done = nbgrader(step, LAB_ID, env=env, cwd=root)
        assert done.returncode == 0, done.stderr[-2000:]
    token, port = secrets.token_hex(16), free_port()
    log = open(base / "jupyterlab.log", "wb")
    server = subprocess.Popen(lab_command(base, port=port, token=token), cwd=base, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n" + (base / "jupyterlab.log").read_text()[-3000:])
            time.sleep(0.5)
    try:
        yield {"url": url, "token": token, "home": home, "exchange": exchange, "root": root}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_learner_fetches_edits_and_submits(jupyterlab, page):
    url, token = jupyterlab["url"], jupyterlab["token"]
    page.set_default_timeout(60_000)
    # Under load JupyterLab may give up on a theme stylesheet and say so in a modal dialog, which then
    # takes every click. The theme is not what this test is about: close the dialog whenever it shows.
    page.add_locator_handler(page.locator(".jp-Dialog", has_text="Error Loading Theme"),
                             lambda dialog: dialog.get_by_role("button").last.click())
    page.goto(f"{url}/lab?token={token}")
    page.wait_for_selector("#jp-main-dock-panel")
    page.locator("div.lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.get_by_role("button", name="Fetch").first.click()
    page.get_by_role("button", name="Submit").wait_for()
    fetched = jupyterlab["home"] / LAB_ID / NB
    assert fetched.is_file()

    page.locator(".list_item a", has_text=LAB_ID).first.click()
    page.locator("a", has_text=NB.removesuffix(".ipynb")).first.click()
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    solution_cell = page.locator(".jp-Notebook .jp-Cell", has_text="def peut_emprunter").first
    solution_cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(ANSWER)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while "MODIFIE-DANS-JUPYTERLAB" not in fetched.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the edited notebook was not saved"
        time.sleep(0.5)
    saved = nbformat.read(str(fetched), as_version=4)
    edited = next(c for c in saved.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ex1-code")
    assert "MODIFIE-DANS-JUPYTERLAB" in edited.source

    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    page.get_by_role("button", name="Submit").first.click()
    inbound = jupyterlab["exchange"] / "cda-mediatheque" / "inbound"
    deadline = time.monotonic() + 30
    while not list(inbound.glob(f"*+{LAB_ID}+*/{NB}")):
        assert time.monotonic() < deadline, "nothing was submitted to the exchange"
        time.sleep(0.5)
    submitted = next(inbound.glob(f"*+{LAB_ID}+*/{NB}"))
    assert "MODIFIE-DANS-JUPYTERLAB" in submitted.read_text(encoding="utf-8")


def test_instructor_opens_the_formgrader(jupyterlab, page):
    url, token = jupyterlab["url"], jupyterlab["token"]
    page.set_default_timeout(60_000)
    page.goto(f"{url}/formgrader?token={token}")
    page.wait_for_selector(f"text={LAB_ID}")
    assert "Manage Assignments" in page.content()
    assert page.locator("td", has_text=LAB_ID).count() >= 1
