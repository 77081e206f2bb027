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


class CheckSpec(Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: str
    points: float = Field(gt=0)
    title: str | None = None
    title_en: str | None = None
    visible: bool = True
    competences: list[str] | None = None
    themes: list[str] | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class ExampleSpec(Strict):
    description: str | None = None
    expected_pct: tuple[float, float]

    @field_validator("expected_pct")
    @classmethod
    def ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 0 <= low <= high <= 100:
            raise ValueError("expected_pct must be [low, high] with 0 <= low <= high <= 100")
        return value


class LabManifest(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    title_en: str | None = None
    kind: Literal["repo", "notebook"]
    competences: list[str] = Field(min_length=1)
    themes: list[str] = Field(default_factory=list)
    summary: str | None = None
    limits: Limits = Field(default_factory=Limits)
    checks: list[CheckSpec] = Field(min_length=1)
    examples: dict[str, ExampleSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def unique_check_ids(self) -> "LabManifest":
        seen: set[str] = set()
        for check in self.checks:
            if check.id in seen:
                raise ValueError(f"duplicate check id {check.id!r}")
            seen.add(check.id)
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


def load_manifest(path: Path) -> LabManifest:
    data = read_toml(path)
    try:
        return LabManifest.model_validate(data)
    except ValidationError as exc:
        raise BadInput(format_validation_error(path, exc)) from None
