"""Finding labs on disk and validating them against the référentiel and the installed checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from pydantic import BaseModel, ValidationError

from graders.checks import check_class
from graders.errors import BadInput
from graders.blocking import load_flaws
from graders.manifest import LabManifest, format_validation_error, load_manifest
from graders.paths import LABS_DIR
from graders.referentiel import load_referentiel

MANIFEST = "lab.toml"


@dataclass(frozen=True)
class Lab:
    path: Path
    manifest: LabManifest
    # Each check's options, validated once by load_lab against its check's own model (check id -> options).
    options: Mapping[str, BaseModel] = field(default_factory=dict, compare=False, repr=False)

    def options_of(self, spec) -> BaseModel:
        """The validated options of one of this lab's checks."""
        if spec.id in self.options:
            return self.options[spec.id]
        return check_class(spec.kind).Options.model_validate(spec.options)

    @property
    def id(self) -> str:
        return self.manifest.id

    def resolve(self, relative: str) -> Path:
        """A path named in the manifest, kept inside the lab folder."""
        target = (self.path / relative).resolve()
        if not target.is_relative_to(self.path.resolve()):
            raise BadInput(f"{self.path / MANIFEST}: path {relative!r} leaves the lab folder")
        return target

    def summary(self) -> dict:
        m = self.manifest
        return {
            "id": m.id,
            "title": m.title,
            "title_en": m.title_en,
            "kind": m.kind,
            "competences": m.competences,
            "themes": m.themes,
            "max_score": m.max_score,
            "checks": [c.id for c in m.checks],
            "path": str(self.path),
        }


def load_lab(folder: Path) -> Lab:
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BadInput(f"{folder}: not a lab folder (no {MANIFEST})")
    manifest = load_manifest(manifest_path)
    if manifest.id != folder.name:
        raise BadInput(f"{manifest_path}: id: {manifest.id!r} must equal the folder name {folder.name!r}")
    referentiel = load_referentiel()
    for bad in referentiel.unknown(manifest.competences, []):
        raise BadInput(f"{manifest_path}: competences: unknown id {bad!r} (see course/referentiel.toml)")
    for bad in referentiel.unknown([], manifest.themes):
        raise BadInput(f"{manifest_path}: themes: unknown id {bad!r} (see course/referentiel.toml)")
    known_criteria = referentiel.criteria()
    flaws = load_flaws().flaws
    allowed = set(manifest.competences) | {c for spec in manifest.checks for c in spec.competences or []}

    def check_criteria(where: str, ids) -> None:
        for bad in referentiel.unknown_criteria(list(ids)):
            raise BadInput(f"{where}: unknown criterion {bad!r} (ids are C<n>.<k>, see course/referentiel.toml)")
        for cid in ids:
            if known_criteria[cid][0] not in allowed:
                raise BadInput(f"{where}: criterion {cid!r} belongs to {known_criteria[cid][0]}, "
                               f"which neither the lab nor any of its checks names")

    check_criteria(f"{manifest_path}: thresholds", [k for k in manifest.thresholds if k != "default"])
    for index, item in enumerate(manifest.rubric):
        check_criteria(f"{manifest_path}: rubric[{index}].criterion", [item.criterion])
    for name, example in manifest.examples.items():
        check_criteria(f"{manifest_path}: examples.{name}.expected_verdicts", example.expected_verdicts)
        for flaw in example.expected_blocking:
            if flaw not in flaws:
                raise BadInput(f"{manifest_path}: examples.{name}.expected_blocking: unknown flaw {flaw!r} "
                               f"(known: {', '.join(sorted(flaws))})")
    validated: dict[str, BaseModel] = {}
    for index, spec in enumerate(manifest.checks):
        where = f"{manifest_path}: checks[{index}]"
        for bad in referentiel.unknown(spec.competences or [], spec.themes or []):
            raise BadInput(f"{where}: unknown competence or theme {bad!r}")
        cls = check_class(spec.kind)
        if cls is None:
            raise BadInput(f"{where}.kind: unknown check kind {spec.kind!r}")
        try:
            options = cls.Options.model_validate(spec.options)
        except ValidationError as exc:
            message = format_validation_error(manifest_path, exc).split(": ", 1)[1]
            raise BadInput(f"{where}.options.{message}") from None
        validated[spec.id] = options
        declared = [*spec.criteria, *cls.declared_criteria(options)]
        check_criteria(f"{where}.criteria", declared + (spec.blocking_criteria or []))
        if not declared:
            raise BadInput(f"{where} ({spec.id}): criteria: the check evidences no criterion of the référentiel")
        for pattern, flaw in spec.blocking_tests.items():
            if flaw not in flaws:
                raise BadInput(f"{where}.blocking_tests: {pattern!r}: unknown flaw {flaw!r} "
                               f"(known: {', '.join(sorted(flaws))})")
    lab = Lab(folder.resolve(), manifest, MappingProxyType(validated))
    for index, spec in enumerate(manifest.checks):
        try:
            check_class(spec.kind).validate_lab(validated[spec.id], lab, spec)
        except ValueError as exc:
            raise BadInput(f"{manifest_path}: checks[{index}] ({spec.id}): {exc}") from None
    return lab


def discover_labs(root: Path = LABS_DIR) -> list[Lab]:
    if not root.is_dir():
        return []
    return [load_lab(p) for p in sorted(root.iterdir()) if (p / MANIFEST).is_file()]


def find_lab(name_or_path: str) -> Lab:
    """LAB argument of the CLI: a lab id, or a path to a lab folder."""
    candidate = Path(name_or_path)
    if candidate.exists():
        if not candidate.is_dir():
            raise BadInput(f"{name_or_path}: a lab must be a folder or a lab id, not a file")
        return load_lab(candidate.resolve())  # `cda grade . ...` from inside the lab: its folder's name
    by_id = LABS_DIR / name_or_path
    if "/" not in name_or_path and (by_id / MANIFEST).is_file():
        return load_lab(by_id)
    known = ", ".join(p.name for p in sorted(LABS_DIR.iterdir()) if (p / MANIFEST).is_file()) if LABS_DIR.is_dir() else ""
    raise BadInput(f"unknown lab {name_or_path!r} (known: {known or 'none'})")
