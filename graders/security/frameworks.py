"""Project-level framework settings that a line-level rule cannot see: a setting that is *missing*.

Flask's SESSION_COOKIE_SECURE is False and SESSION_COOKIE_SAMESITE unset by default; Django's
SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE are False by default. We read the Python files as text
(no import) and report the application or settings file that never sets them.
"""

from __future__ import annotations

import re
from pathlib import Path

from graders.security.model import Hit

FLASK_APP = re.compile(r"^\s*\w+\s*=\s*(flask\.)?Flask\(", re.MULTILINE)
FLASK_SESSION_USE = re.compile(r"\bfrom\s+flask\s+import\s+[^\n]*\bsession\b|\bflask\.session\b|\bflask_login\b|\bflask_session\b")
DJANGO_SETTINGS = re.compile(r"^\s*INSTALLED_APPS\s*=", re.MULTILINE)
DJANGO_SESSION_APP = re.compile(r"django\.contrib\.sessions")


def _line(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start()) + 1 + (1 if text[match.start()] == "\n" else 0)


def scan(root: Path, python_files: list[str], _) -> list[Hit]:
    texts: dict[str, str] = {}
    for rel in python_files:
        try:
            texts[rel] = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    everything = "\n".join(texts.values())
    hits: list[Hit] = []
    flask_apps = [(rel, m) for rel, text in texts.items() for m in [FLASK_APP.search(text)] if m]
    if flask_apps and FLASK_SESSION_USE.search(everything):
        missing = [name for name in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_SAMESITE") if name not in everything]
        if missing:
            rel, match = flask_apps[0]
            hits.append(Hit("flask-session-cookie-defaults", rel, _line(texts[rel], match), source="settings",
                            detail=_("Missing: {names}.").format(names=", ".join(missing))))
    for rel, text in texts.items():
        match = DJANGO_SETTINGS.search(text)
        if not match or not DJANGO_SESSION_APP.search(text):
            continue
        missing = [name for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE") if name not in everything]
        if missing:
            hits.append(Hit("django-session-cookie-defaults", rel, _line(text, match), source="settings",
                            detail=_("Missing: {names}.").format(names=", ".join(missing))))
    return hits
