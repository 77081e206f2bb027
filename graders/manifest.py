"""The lab manifest (`lab.toml`): its schema, and loading with errors that name file and field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graders.errors import BadInput

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Limits(Strict):
    """Resource limits for every sandboxed run of the lab."""

    timeout_s: float = Field(60, gt=0, le=3600)
    memory_mb: int = Field(1024, ge=64, le=16384)
    cpu_s: int = Field(120, gt=0, le=7200)
    processes: int = Field(64, ge=4, le=4096)
    file_size_mb: int = Field(64, ge=1, le=4096)
    output_kb: int = Field(256, ge=1, le=65536)
    disk_mb: int = Field(256, ge=16, le=8192)
    submission_mb: int = Field(20, ge=1, le=1024)
    submission_files: int = Field(2000, ge=1, le=100000)


VERDICTS = ("acquired", "consolidate", "not-acquired", "not-assessed")


class CheckSpec(Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: str
    points: float = Field(gt=0)
    title: str | None = None
    title_en: str | None = None
    visible: bool = True
    competences: list[str] | None = None
    themes: list[str] | None = None
    # référentiel criteria (C8.3...) the whole check evidences; tests may add their own (pytest groups)
    criteria: list[str] = Field(default_factory=list)
    # fnmatch pattern on a test's name -> blocking flaw (graders/blocking_flaws.toml) its failure is
    blocking_tests: dict[str, str] = Field(default_factory=dict)
    # the criteria a blocking flaw found by this check makes not acquired (default: all it evidences)
    blocking_criteria: list[str] | None = None
    # a static check (security, style...) judges code only where it works: the functional checks whose
    # all-failing tests (or a submission identical to the starter) make this one "not assessed"
    requires: list[str] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)


class ExampleSpec(Strict):
    description: str | None = None
    expected_pct: tuple[float, float]
    expected_verdicts: dict[str, Literal[VERDICTS]] = Field(default_factory=dict)  # criterion id -> verdict
    expected_blocking: list[str] = Field(default_factory=list)  # flaws (graders/blocking_flaws.toml) it must show

    @field_validator("expected_pct")
    @classmethod
    def ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 0 <= low <= high <= 100:
            raise ValueError("expected_pct must be [low, high] with 0 <= low <= high <= 100")
        return value


class Threshold(Strict):
    """Fraction of a criterion's points from which it is acquired, or to be consolidated."""

    acquired: float = Field(0.8, gt=0, le=1)
    consolidate: float = Field(0.5, ge=0, le=1)

    @model_validator(mode="after")
    def ordered(self) -> "Threshold":
        if self.consolidate > self.acquired:
            raise ValueError("consolidate must not exceed acquired")
        return self


class RubricItem(Strict):
    """What only a person can judge: shown as not assessed until a trainer records a verdict."""

    criterion: str
    look_at: str  # a file or artefact of the submission (ARCHITECTURE.md, the MCD...)
    guidance: str
    guidance_en: str | None = None


class LabManifest(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    title_en: str | None = None
    kind: Literal["repo", "notebook"]
    competences: list[str] = Field(min_length=1)
    themes: list[str] = Field(default_factory=list)
    summary: str | None = None
    # Which graded attempt counts in a learner's record (cda record): the latest, the best, or the
    # latest before the deadline given to `cda record --deadline`.
    attempt: Literal["latest", "best", "deadline"] = "latest"
    limits: Limits = Field(default_factory=Limits)
    checks: list[CheckSpec] = Field(min_length=1)
    thresholds: dict[str, Threshold] = Field(default_factory=dict)  # criterion id, or "default"
    rubric: list[RubricItem] = Field(default_factory=list)
    examples: dict[str, ExampleSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def unique_check_ids(self) -> "LabManifest":
        seen: set[str] = set()
        for check in self.checks:
            if check.id in seen:
                raise ValueError(f"duplicate check id {check.id!r}")
            seen.add(check.id)
        for check in self.checks:
            for required in check.requires:
                if required not in seen or required == check.id:
                    raise ValueError(f"check {check.id!r}: requires names no other check of the lab: {required!r}")
        return self

    @property
    def max_score(self) -> float:
        return sum(check.points for check in self.checks)


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def format_validation_error(path: Path, error: ValidationError) -> str:
    first = error.errors()[0]
    more = len(error.errors()) - 1
    suffix = f" (+{more} more)" if more else ""
    return f"{path}: {_location(first['loc'])}: {first['msg']}{suffix}"


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{path}: invalid TOML: {exc}") from None


def load_toml_model(path: Path, model: type[BaseModel]):
    """A TOML file validated by `model`; errors name the file and the field."""
    data = read_toml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadInput(format_validation_error(path, exc)) from None


def load_manifest(path: Path) -> LabManifest:
    return load_toml_model(path, LabManifest)
