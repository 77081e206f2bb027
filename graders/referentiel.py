"""The official référentiel (CCPs, competences C1..C11, transversal themes) loaded from course/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.manifest import load_toml_model
from graders.paths import REFERENTIEL_FILE


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Ccp(_Model):
    id: str
    title: str
    title_en: str
    competences: list[str]


class Competence(_Model):
    title: str
    title_en: str
    ccp: str
    criteria: list[str] = Field(min_length=1)
    criteria_en: list[str] = Field(min_length=1)


class Theme(_Model):
    title: str
    title_en: str
    description: str
    references: list[str] = Field(default_factory=list)


class Referentiel(_Model):
    title: str
    title_en: str
    rncp: str
    level: int
    ccps: list[Ccp]
    competences: dict[str, Competence]
    themes: dict[str, Theme]

    @model_validator(mode="after")
    def consistent(self) -> "Referentiel":
        listed = [c for ccp in self.ccps for c in ccp.competences]
        if sorted(listed) != sorted(self.competences):
            raise ValueError("ccps[].competences must list every competence exactly once")
        for cid, comp in self.competences.items():
            if comp.ccp not in {ccp.id for ccp in self.ccps}:
                raise ValueError(f"competence {cid} names unknown CCP {comp.ccp!r}")
            if len(comp.criteria) != len(comp.criteria_en):
                raise ValueError(f"competence {cid}: criteria and criteria_en differ in length")
        return self

    def title_of(self, area_id: str, lang: str = "fr") -> str | None:
        area = self.competences.get(area_id) or self.themes.get(area_id)
        if area is None:
            return None
        return area.title_en if lang == "en" else area.title

    def criteria(self, lang: str = "fr") -> dict[str, tuple[str, str]]:
        """Every criterion by its stable id `C<n>.<k>` (k: its 1-based place in the competence's
        list, which is append-only): (competence id, title)."""
        return {f"{cid}.{k}": (cid, title)
                for cid, comp in self.competences.items()
                for k, title in enumerate(comp.criteria_en if lang == "en" else comp.criteria, 1)}

    def ccp_of(self, competence: str) -> str | None:
        comp = self.competences.get(competence)
        return comp.ccp if comp else None

    def ccp_title(self, ccp_id: str, lang: str = "fr") -> str | None:
        ccp = next((c for c in self.ccps if c.id == ccp_id), None)
        return None if ccp is None else (ccp.title_en if lang == "en" else ccp.title)

    def unknown_criteria(self, ids: list[str]) -> list[str]:
        known = self.criteria()
        return [i for i in ids if i not in known]

    def unknown(self, competences: list[str], themes: list[str]) -> list[str]:
        return [c for c in competences if c not in self.competences] + [
            t for t in themes if t not in self.themes
        ]


@lru_cache(maxsize=4)
def load_referentiel(path: Path = REFERENTIEL_FILE) -> Referentiel:
    return load_toml_model(path, Referentiel)
