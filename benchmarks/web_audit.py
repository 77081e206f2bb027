"""Auditing 20 pages of one site versus one page: browser reuse keeps the ratio under 3.

A generated site of 20 pages (the media library's catalogue: header, navigation, 15 books per
page, footer; about 400 DOM elements each) is served locally; `cda audit` runs on page 1 alone,
then on the 20 pages, as a user would run it (one process, one Chromium for all pages). Each
measure is the best of `--runs` runs (default 2) to damp the noise of a shared machine.

    python benchmarks/web_audit.py [--runs N] [--pages N]

Prints both durations and the ratio; exits 1 when the ratio reaches 3.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graders.web.serve import StaticServer  # noqa: E402

CDA = str(Path(sys.executable).parent / "cda")
TARGET = 3.0


def build_site(folder: Path, pages: int) -> None:
    nav = "".join(f'<li><a href="/p{i}.html">Page {i}</a></li>' for i in range(pages))
    (folder / "style.css").write_text(
        "body{font-family:sans-serif;color:#1b1b1b;background:#fff;margin:0 auto;max-width:50rem}"
        "a{color:#1d4e89}.evitement{position:absolute;left:-9999px}.evitement:focus{position:static}"
        "nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}", encoding="utf-8")
    for i in range(pages):
        books = "".join(
            f"<article><h2>Livre {i * 15 + j}</h2><p>Résumé du livre {i * 15 + j}, une histoire à lire et à relire.</p>"
            f"<p><a href='/p{i}.html#livre-{j}'>Réserver le livre {i * 15 + j}</a></p></article>" for j in range(15))
        (folder / f"p{i}.html").write_text(
            f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Catalogue, page {i} — Médiathèque</title>'
            f'<link rel="stylesheet" href="/style.css"></head><body><a class="evitement" href="#contenu">Aller au contenu</a>'
            f'<header><p>Médiathèque de Lunéville</p><nav aria-label="Pages du catalogue"><ul>{nav}</ul></nav></header>'
            f'<main id="contenu"><h1>Catalogue, page {i}</h1>{books}</main>'
            f'<footer><a href="/mentions.html">Mentions légales</a> <a href="/donnees.html">Données personnelles</a></footer>'
            f"</body></html>", encoding="utf-8")


def audit(urls: list[str]) -> float:
    started = time.monotonic()
    proc = subprocess.run([CDA, "audit", "-q", *urls], capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"cda audit failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cda-bench-site-"))
    try:
        build_site(folder, args.pages)
        with StaticServer(folder) as server:
            urls = [server.url(f"p{i}.html") for i in range(args.pages)]
            one = min(audit(urls[:1]) for _ in range(args.runs))
            many = min(audit(urls) for _ in range(args.runs))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ratio = many / one
    print(f"1 page: {one:.2f} s")
    print(f"{args.pages} pages: {many:.2f} s ({many / args.pages:.2f} s per page)")
    print(f"ratio: {ratio:.2f} (target < {TARGET:g})")
    return 0 if ratio < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
