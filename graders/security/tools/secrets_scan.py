"""Secrets in a tree (and optionally its git history) with detect-secrets. argv: ROOT OUT.json FILES.txt [--git].

Runs inside the sandbox (`python -I`) or as a subprocess of `cda scan`; depends on detect-secrets
and the standard library only. Allow-list pragmas (`# pragma: allowlist secret`) are ignored: a
learner cannot silence the grader. Secret values never leave this script: each hit is reported
with its kind ("real", "placeholder", "test") and a masked preview.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

PLACEHOLDER_WORDS = {
    "changeme", "change-me", "change_me", "changeit", "change-it", "change_this", "changethis",
    "replaceme", "replace-me", "replace_me", "secret", "secrets", "password", "passwd", "motdepasse",
    "example", "sample", "dummy", "fake", "placeholder", "todo", "fixme", "tbd", "redacted", "none",
    "null", "nil", "undefined", "default", "dev", "development", "test", "testing", "local", "foo",
    "bar", "baz", "foobar", "value", "mysecret", "my-secret", "my_secret", "yoursecret", "your-secret",
    "your_secret", "notsecret", "not-a-secret", "insecure", "unsafe", "key", "token", "apikey", "api_key",
    "xxx", "s3cr3t", "secretkey", "secret_key", "secret-key",
}
PLACEHOLDER_PATTERNS = [
    re.compile(r"^<[^<>]*>$"),                      # <your-key>
    re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$"),  # $VAR / ${VAR}
    re.compile(r"^\{\{.*\}\}$"),                    # {{ secret }}
    re.compile(r"^%\(?[A-Za-z_]+\)?s?$"),
    re.compile(r"^(.)\1{3,}$"),                     # xxxx, ****, 0000
    re.compile(r"(?i)^(your|my|insert|put|enter|add|set)[-_ ]?.*(here|key|secret|token|password)"),
    re.compile(r"(?i)(example|exemple|placeholder|changeme|change[-_]?me|dummy|replace[-_]?me|fake|sample)"),
    re.compile(r"(?i)^(x+|\*+|\.+|-+|_+)$"),
    re.compile(r"(?i)^(0123456789|123456789|12345678|1234|abcdef|abcdefgh|qwerty|azerty)"),
]
TEST_PATH = re.compile(r"(^|/)(tests?|testing|fixtures?|spec|examples?|samples?|docs?)(/|$)|(^|/)(test_[^/]*|[^/]*_test\.py|conftest\.py)$")


def classify(value: str, path: str = "") -> str:
    """'placeholder' for values that are obviously not real secrets, 'test' in test code, else 'real'."""
    stripped = (value or "").strip().strip("'\"")
    lowered = stripped.lower()
    if len(stripped) < 4 or lowered in PLACEHOLDER_WORDS:
        return "placeholder"
    if any(pattern.search(stripped) for pattern in PLACEHOLDER_PATTERNS):
        return "placeholder"
    if TEST_PATH.search(path.replace("\\", "/")):
        return "test"
    return "real"


def mask(value: str) -> str:
    value = (value or "").strip()
    if len(value) <= 4:
        return "…"
    return f"{value[:2]}…({len(value)})"


def _settings():
    """Enter detect-secrets' default settings for the rest of the process; allow-list pragmas off."""
    from detect_secrets.core.scan import get_filters, get_settings
    from detect_secrets.settings import default_settings

    context = default_settings()
    context.__enter__()
    _KEEP.append(context)  # a collected generator would restore the previous (empty) settings
    get_settings().disable_filters("detect_secrets.filters.allowlist.is_line_allowlisted")
    get_filters.cache_clear()
    return context


_KEEP: list = []


FORMAT_TYPES_MIN = 8


def _full_value(value: str, line_text: str | None) -> str:
    """Format detectors (GitHub, Slack...) may capture only a prefix: take the whole token from the line."""
    if len(value) >= FORMAT_TYPES_MIN or not line_text or not value:
        return value
    match = re.search(re.escape(value) + r"[\w\-/+=.]*", line_text)
    return match.group(0) if match else value


ENTROPY_TYPES = {"Base64 High Entropy String", "Hex High Entropy String"}
SECRET_CONTEXT = re.compile(r"(?i)(secret|passw|pwd|token|api[_-]?key|apikey|auth|credential|private|access[_-]?key|"
                            r"client[_-]?id|bearer|signature|salt|cookie|session|mdp|cle|clé)")
KEY_NAME = re.compile(r"""["']?([A-Za-z_][\w.-]*)["']?\s*(?::|=|:=|==)\s*[rbuf]*["']""")
NOT_A_SECRET_KEY = re.compile(r"(?i)[_.-](encryption|algorithm|algo|method|type|policy|field|name|label|hint|length|"
                              r"min_length|max_length|url|uri|path|file|env|var|header|format|regex|pattern|prefix|"
                              r"suffix|scheme|expiry|expires|expiration|ttl|rounds|iterations|mode|strength|reset_url|"
                              r"placeholder|help|description|column|key_name|id_field)$")


def not_a_secret(secret_type: str, value: str, line_text: str | None) -> bool:
    """Hits that are not credentials: prose, hashes without any secret context, settings named like secrets."""
    text = line_text or ""
    if len(value.strip()) < 4:  # "", "b\\", "xx": a fragment the keyword detector picked up
        return True
    if value.count(" ") >= 2:  # a sentence, not a key
        return True
    if secret_type in ENTROPY_TYPES and not SECRET_CONTEXT.search(text.replace(value, "")):
        return True  # checksums, digests, identifiers, embedded data
    if secret_type == "Secret Keyword":
        match = KEY_NAME.search(text)
        if match and NOT_A_SECRET_KEY.search(match.group(1)):
            return True
    return False


def _hit(secret, path: str, commit: str | None = None, line_text: str | None = None) -> dict | None:
    value = _full_value(getattr(secret, "secret_value", None) or "", line_text)
    if not_a_secret(secret.type, value, line_text):
        return None
    kind = classify(value, path)
    hit = {"type": secret.type, "path": path, "line": secret.line_number, "kind": kind,
           "preview": value if kind == "placeholder" and len(value) <= 40 else mask(value)}
    if commit:
        hit["commit"] = commit
    return hit


def scan_tree(root: str, files: list[str]) -> list[dict]:
    from detect_secrets.core.scan import scan_file

    hits = []
    for rel in files:
        path = os.path.join(root, rel)
        try:
            found = list(scan_file(path))
            if not found:
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
            for secret in found:
                number = secret.line_number
                hit = _hit(secret, rel, line_text=lines[number - 1] if 0 < number <= len(lines) else None)
                if hit:
                    hits.append(hit)
        except Exception as exc:  # one unreadable file must not end the scan
            hits.append({"error": f"{rel}: {type(exc).__name__}: {exc}"[:300]})
    return hits


MAX_LOG_BYTES = 32 << 20
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def added_lines(log_text: str):
    """Yield (commit, path, [(line_number, text), ...]) from `git log -p -U0` output."""
    commit, path, lines, number = None, None, [], 0
    for raw in log_text.splitlines():
        if raw.startswith("commit:"):
            if commit and path and lines:
                yield commit, path, lines
            commit, path, lines = raw[len("commit:"):].strip(), None, []
        elif raw.startswith("+++ "):
            if commit and path and lines:
                yield commit, path, lines
            target = raw[4:].strip()
            path = None if target == "/dev/null" else target[2:] if target.startswith("b/") else target
            lines = []
        elif raw.startswith("@@"):
            match = HUNK.match(raw)
            number = int(match.group(1)) if match else 0
        elif raw.startswith("+") and path is not None:
            lines.append((number, raw[1:]))
            number += 1
    if commit and path and lines:
        yield commit, path, lines


def scan_history(root: str, max_commits: int, current: set[tuple[str, str]]) -> tuple[list[dict], str | None]:
    from detect_secrets.core import scan as ds_scan

    argv = ["git", "-c", "core.fsmonitor=", "-c", "core.hooksPath=/dev/null", "-c", "log.showSignature=false",
            "-c", "diff.external=", "-c", "safe.directory=*", "-c", "core.quotePath=false", "--no-pager",
            "log", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--all",
            f"--max-count={max_commits}", "--format=commit:%H", "--diff-filter=AM"]
    note = None
    try:
        proc = subprocess.Popen(argv, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
    except OSError as exc:
        return [], f"git log failed: {exc}"
    chunks, size = [], 0
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_LOG_BYTES:  # a huge history: scan the most recent part only
            proc.kill()
            note = f"history truncated after {MAX_LOG_BYTES >> 20} MB of diffs"
            break
    _, err = proc.communicate()
    if proc.returncode not in (0, None) and note is None:
        return [], "git log failed: " + err.decode("utf-8", "replace").strip()[-300:]
    hits, seen = [], set()
    text = b"".join(chunks).decode("utf-8", "replace")
    process = getattr(ds_scan, "_process_line_based_plugins", None)
    for commit, path, lines in added_lines(text):
        if process is None:
            break
        try:
            found = list(process(lines, filename=path))
        except Exception:
            continue
        for secret in found:
            key = (path, secret.type, getattr(secret, "secret_hash", None) or secret.secret_value)
            if key in seen:
                continue
            seen.add(key)
            text = next((t for n, t in lines if n == secret.line_number), None)
            hit = _hit(secret, path, commit[:10], line_text=text)
            if hit is None:
                continue
            hit["in_tree"] = (path, secret.type) in current
            hits.append(hit)
    return hits, note


def main(argv: list[str]) -> int:
    root, out_path, files_path = argv[:3]
    git = "--git" in argv[3:]
    max_commits = 500
    with open(files_path, encoding="utf-8") as handle:
        files = [line.rstrip("\n") for line in handle if line.strip()]
    _settings()
    report: dict = {"tree": scan_tree(root, files), "history": [], "history_error": None, "git": False}
    if git and os.path.isdir(os.path.join(root, ".git")):
        report["git"] = True
        current = {(h["path"], h["type"]) for h in report["tree"] if "path" in h}
        report["history"], report["history_error"] = scan_history(root, max_commits, current)
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
