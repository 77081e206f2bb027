"""The `services` / `database_template` options shared by checks that run learner code next to
throwaway stores (graders.services): the pytest check and the web-audit check."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ServiceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Fresh private stores for the run (graders.services): DATABASE_URL / REDIS_URL reach the learner's code.
    services: list[Literal["postgres", "redis"]] = Field(default_factory=list)
    database_template: list[str] = Field(default_factory=list)  # lab SQL files cloned into each database

    @model_validator(mode="after")
    def services_fit(self) -> "ServiceOptions":
        if any(Path(p).is_absolute() for p in self.database_template):
            raise ValueError("database_template must be paths relative to the lab folder")
        if self.database_template and "postgres" not in self.services:
            raise ValueError("database_template needs services = [\"postgres\", ...]")
        return self

    def template_files(self, ctx) -> list[Path]:
        return [ctx.lab.resolve(p) for p in self.database_template]
