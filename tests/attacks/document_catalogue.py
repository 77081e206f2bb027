"""Hostile documents and scripts, for the labs whose learner files are read as data or run as scripts.

- Document labs (C5: requirements, Gherkin stories, Mermaid diagrams, HTML mock-ups opened in
  Chromium; the English lab: answers and a bug report read by hidden tests): every text file of the
  submission is made huge, undecodable, a link to a host file, or a page that loops and navigates
  away; pytest configuration dropped beside them aims at the hidden tests that read them.
- Script labs (C10: `deploy.sh` and `rollback.sh` run by the hidden scenario and by the learner's
  own bats tests): shell planted at the top of every script of the submission.

Each plant is either files to drop (a dict, as in `catalogue.FILE_ATTACKS`) or a function that
rewrites the copied submission in place.
"""

from __future__ import annotations

from pathlib import Path

from tests.attacks.catalogue import FILE_ATTACKS

TEXT_SUFFIXES = {".md", ".toml", ".mmd", ".feature", ".html", ".txt", ".csv", ".yaml", ".yml", ".json"}
HOST_FILE = "/etc/passwd"  # what a symlink out of the submission would show: its first line must not
HOST_LINE = "root:x:0:0:"  # reach the learner's result


def text_files(work: Path) -> list[Path]:
    return [p for p in sorted(work.rglob("*")) if p.is_file() and not p.is_symlink() and p.suffix in TEXT_SUFFIXES]


def oversized(work: Path) -> None:
    for path in text_files(work):
        path.write_bytes(path.read_bytes() + b"\n" + (b"x" * 79 + b"\n") * 7_500)  # 600 kB more each (20 MB in all is refused)


def not_utf8(work: Path) -> None:
    for path in text_files(work):
        path.write_bytes(b"\xff\xfe\x00\x80" + path.read_bytes())


def links_to_the_host(work: Path) -> None:
    for path in text_files(work):
        path.unlink()
        path.symlink_to(HOST_FILE)


BUSY_PAGE = "<script>for (;;) {}</script>"
LEAVING_PAGE = ('<meta http-equiv="refresh" content="0;url=file:///etc/passwd">'
                '<script>fetch("http://127.0.0.1:9/").catch(() => 0); location.href = "file:///etc/passwd";</script>')
HUGE_DIAGRAM = "flowchart TD\n" + "".join(f"  N{i} --> N{i + 1}\n" for i in range(490))  # under Mermaid's 500 edges


def hostile_pages(work: Path) -> None:
    """The first mock-up never yields the browser's thread, the others leave for host files; every
    diagram becomes one the layout takes long over."""
    pages = [p for p in text_files(work) if p.suffix == ".html"]
    for index, path in enumerate(pages):
        text = path.read_text(encoding="utf-8", errors="replace")
        plant = BUSY_PAGE if index == 0 else LEAVING_PAGE
        path.write_text(text.replace("</head>", plant + "</head>", 1) if "</head>" in text else plant + text,
                        encoding="utf-8")
    for path in (p for p in text_files(work) if p.suffix == ".mmd"):
        path.write_text(HUGE_DIAGRAM, encoding="utf-8")


DOCUMENT_ATTACKS = {
    "doc-oversized": oversized,
    "doc-not-utf8": not_utf8,
    "doc-links-to-the-host": links_to_the_host,
    "doc-hostile-pages": hostile_pages,
    "doc-hostile-config-files": FILE_ATTACKS["hostile-config-files"],
    "doc-shadow-stdlib-and-pytest": FILE_ATTACKS["shadow-stdlib-and-pytest"],
}

# Shell put after the shebang of every *.sh of the submission.
FORGE_IN_SHELL = r"""python3 - <<'CDA_EOF' 2>/dev/null
import json, os
try:
    with open("/out/results.jsonl", "a") as out:
        out.write(json.dumps({"record": json.dumps({"event": "finish", "exitstatus": 0, "seq": 0}), "mac": "0" * 64}) + "\n")
except OSError:
    pass
CDA_EOF
for target in /etc/cda-pwned /root/pwned /cda/pwned /tmp/cda-sql-pwned; do touch "$target" 2>/dev/null; done
cat /cda/tests/*.py /cda/tests/*/*.py 2>/dev/null | head -c 4000
"""

SHELL_ATTACKS = {
    "sh-exit-0": "exit 0\n",
    "sh-kill-everything": "kill -9 -1 2>/dev/null\n",
    # fd 3 closed as bats asks of background jobs: they outlive the run instead of hanging it
    "sh-background-survivor": "(setsid sleep 600 >/dev/null 2>&1 3>&- &)\nnohup sleep 600 >/dev/null 2>&1 3>&- &\n",
    "sh-output-flood": "yes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | head -c 64000000\n",
    "sh-forge-and-escape": FORGE_IN_SHELL,
}


def plant_in_scripts(work: Path, code: str) -> None:
    """In the scripts the hidden scenario and the learner's bats tests both run (a plant in the .bats
    files themselves would run once per test and only lengthen the run up to its clock)."""
    for path in sorted(work.rglob("*.sh")):
        if path.is_symlink() or not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        head = 1 if lines and lines[0].startswith("#!") else 0
        path.write_text("".join(lines[:head]) + code + "".join(lines[head:]), encoding="utf-8")
