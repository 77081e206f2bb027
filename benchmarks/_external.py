"""Shared by the benchmarks on outside corpora: where the corpus is, and the skip when it is absent."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Callable


def corpus_args(description: str, extra: Callable[[argparse.ArgumentParser], None] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", help="folder holding the external corpora (default: env CDA_EXTERNAL_CORPORA)")
    if extra:
        extra(parser)
    return parser.parse_args()


def find_corpus(given: str | None, name: str, present: Callable[[Path], bool]) -> Path | None:
    """`<root>/<name>` when it holds the corpus (`present`), root from --corpus or CDA_EXTERNAL_CORPORA."""
    root = given or os.environ.get("CDA_EXTERNAL_CORPORA")
    folder = Path(root) / name if root else None
    return folder if folder is not None and present(folder) else None


def skipped(name: str, doc: str) -> int:
    print(f"skipped: external corpus {name}/ not found (give --corpus DIR or set CDA_EXTERNAL_CORPORA; "
          f"the project does not ship it, see {doc})")
    return 0
