"""Guards and sinks the scanner learnt from its measure on an outside corpus (docs/security-scan.md).

Each case is written from the language's semantics: a path checked for "../" (or resolved and
checked against its base folder) before it is opened cannot leave the folder; a value whose quotes
are replaced cannot close the XPath string literal it is put in; a random value kept in a session
store is a session token, so it needs the `secrets` module. One scan of one small project.
"""

from __future__ import annotations

import pytest

from graders.i18n import gettext_for
from graders.security.scan import ScanOptions, run_scan

HEAD = "import random\nimport secrets\nimport pathlib\nimport elementpath\nfrom flask import Flask, request\n\napp = Flask(__name__)\nBASE = '/srv/files'\n"
CASES = {
    # name -> (body, rule expected at the line marked `# here`, or None)
    "dots_unchecked": ("""
@app.post('/save')
def save():
    name = request.form.get('name', '')
    with open(f'{BASE}/{name}', 'wb') as out:  # here
        out.write(b'')
    return 'ok'
""", "path-traversal"),
    "dots_checked": ("""
@app.post('/save')
def save():
    name = request.form.get('name', '')
    if '../' in name:
        return 'refused', 400
    with open(f'{BASE}/{name}', 'wb') as out:  # here
        out.write(b'')
    return 'ok'
""", None),
    "resolved_unchecked": ("""
@app.get('/read')
def read():
    name = request.args.get('name', '')
    path = (pathlib.Path(BASE) / name).resolve()
    return path.read_text()  # here
""", "path-traversal"),
    "resolved_checked": ("""
@app.get('/read')
def read():
    name = request.args.get('name', '')
    base = pathlib.Path(BASE)
    path = (base / name).resolve()
    if not str(path).startswith(str(base)):
        return 'refused', 400
    return path.read_text()  # here
""", None),
    "xpath_raw": ("""
@app.get('/user')
def user():
    name = request.args.get('name', '')
    return str(elementpath.select(None, f"//user[@name='{name}']"))  # here
""", "xpath-injection"),
    "xpath_quotes_replaced": ("""
@app.get('/user')
def user():
    name = request.args.get('name', '')
    quoted = name.replace("'", "&apos;")
    return str(elementpath.select(None, f"//user[@name='{quoted}']"))  # here
""", None),
    "token_in_session_store": ("""
server_sessions = {}

@app.post('/remember')
def remember():
    key = request.form.get('user', '')
    value = random.randbytes(16).hex()
    server_sessions[key] = value  # here
    return 'ok'
""", "weak-random-token"),
    "secret_in_session_store": ("""
server_sessions = {}

@app.post('/remember')
def remember():
    key = request.form.get('user', '')
    value = secrets.token_hex(16)
    server_sessions[key] = value  # here
    return 'ok'
""", None),
}
RULES = {"path-traversal", "xpath-injection", "weak-random-token"}


@pytest.fixture(scope="module")
def hits(tmp_path_factory):
    root = tmp_path_factory.mktemp("guards")
    for name, (body, _rule) in CASES.items():
        (root / f"{name}.py").write_text(HEAD + body, encoding="utf-8")
    report = run_scan(root, ScanOptions(families=("injection", "crypto"), git_history=False, min_confidence="low"),
                      gettext_for("en"))
    assert not report.errors()
    return {(h.path, h.line, h.rule) for h in report.hits() if h.rule in RULES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_guard_or_sink(hits, name):
    body, rule = CASES[name]
    line = (HEAD + body).splitlines().index(next(l for l in (HEAD + body).splitlines() if "# here" in l)) + 1
    found = {(r, ln) for path, ln, r in hits if path == f"{name}.py"}
    assert found == ({(rule, line)} if rule else set())
