"""The semgrep rules that live in this repository: load, expand and write them as one configuration.

Rule files may share blocks through YAML anchors under a top-level `x-shared` key. semgrep's own
YAML reader does not resolve aliases, so we load the files with PyYAML, flatten the nested lists
the aliases produce (`pattern-sources: [*web, *cli]`) and hand semgrep a single plain file: one
semgrep start-up per scan, whatever the number of rules.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).resolve().parent / "rules"
LIST_KEYS = ("pattern-sources", "pattern-sinks", "pattern-sanitizers", "pattern-propagators",
             "pattern-either", "patterns")


def _flatten(value):
    """[[a, b], c] -> [a, b, c], recursively inside rule bodies."""
    if isinstance(value, dict):
        return {key: (_flatten_list(item) if key in LIST_KEYS and isinstance(item, list) else _flatten(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_flatten(item) for item in value]
    return value


def _flatten_list(items: list) -> list:
    flat: list = []
    for item in items:
        if isinstance(item, list):
            flat.extend(_flatten_list(item))
        else:
            flat.append(_flatten(item))
    return flat


def load_rule_file(path: Path) -> list[dict]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [_flatten(rule) for rule in document.get("rules", [])]


@lru_cache(maxsize=1)
def all_rules() -> tuple[dict, ...]:
    rules: list[dict] = []
    for path in sorted(RULES_DIR.glob("*.yml")):
        for rule in load_rule_file(path):
            rule.setdefault("metadata", {})["source_file"] = path.name
            rules.append(rule)
    ids = [rule["id"] for rule in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate semgrep rule ids: {', '.join(duplicates)}")
    return tuple(rules)


def rule_ids() -> list[str]:
    return [rule["id"] for rule in all_rules()]


def write_config(dest: Path, only: set[str] | None = None) -> Path:
    """Write the expanded rules (JSON is valid YAML) to `dest`; `only` keeps a subset of rule ids."""
    rules = [rule for rule in all_rules() if only is None or rule["id"] in only]
    dest.write_text(json.dumps({"rules": rules}, ensure_ascii=False), encoding="utf-8")
    return dest
