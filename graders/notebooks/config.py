"""The course configuration: the repository's jupyter_config.py, read the way Jupyter reads it."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from traitlets.config import Config

from graders.paths import REPO_ROOT

CONFIG_FILE = REPO_ROOT / "jupyter_config.py"


@lru_cache(maxsize=1)
def _load(path: str) -> Config:
    config = Config()
    namespace = {"c": config, "get_config": lambda: config, "__file__": path, "__name__": "jupyter_config",
                 "CDA_LOADER": True}
    exec(compile(Path(path).read_text(encoding="utf-8"), path, "exec"), namespace)  # trusted repository file
    return config


def course_config() -> Config:
    """A copy of the course Config (callers may change it)."""
    return copy.deepcopy(_load(str(CONFIG_FILE)))


def cell_timeout() -> int:
    return int(_load(str(CONFIG_FILE)).Execute.get("timeout", 10))
