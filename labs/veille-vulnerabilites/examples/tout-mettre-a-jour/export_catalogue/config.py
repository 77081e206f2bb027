"""Reads the export configuration (YAML) written by the librarians."""

from __future__ import annotations

import yaml


def load_config(text: str) -> dict:
    """The configuration as a dict: `titre` (str), `documents` (list of dicts), `partenaire` (URL)."""
    data = yaml.safe_load(text)  # never FullLoader/UnsafeLoader: no Python objects from YAML
    if not isinstance(data, dict):
        raise ValueError("la configuration doit être un dictionnaire YAML")
    return data
