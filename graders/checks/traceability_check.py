"""`traceability` check (C5): requirements -> user stories, or user stories -> mock-up screens.

`links = "requirements-stories"`: every requirement of the cahier des charges is tagged on at least
one story (`@EX-07`), and no story names an id the cahier does not have. `links = "stories-screens"`:
every story is named by at least one mock-up (`<meta name="user-stories" content="US-03">`). Each
missing or unknown id is a finding naming it. Nothing of the submission runs: feature files go
through the official Gherkin parser, mock-ups through html.parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.design.cahier import read as read_specification
from graders.design.mockups import read_screens
from graders.design.stories import Stories, read_stories
from graders.results import Finding

UNKNOWN_PENALTY = 0.1  # of the check's fraction, per unknown id or story without an id


class TraceabilityOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    links: Literal["requirements-stories", "stories-screens"]
    specification: str = Field("grader/cahier-des-charges.toml", description="the cahier des charges, lab-relative")
    stories: str = "user-stories"
    mockups: str = "maquettes"

    @model_validator(mode="after")
    def relative(self) -> "TraceabilityOptions":
        if any(Path(p).is_absolute() for p in (self.specification, self.stories, self.mockups)):
            raise ValueError("specification, stories and mockups must be relative paths")
        return self


def syntax_findings(stories: Stories, _) -> list[Finding]:
    return [Finding(rule="gherkin-syntax", severity="high", path=path, line=line,
                    message=_("This feature file is not valid Gherkin: {error}").format(error=error),
                    help=_("Start the file with `# language: fr`, then one `Fonctionnalité:` and its `Scénario:` "
                           "blocks; the official Gherkin parser reads it as the grader does."))
            for path, line, error in stories.errors]


def requirement_findings(required: tuple[str, ...], stories: Stories, _) -> tuple[list[Finding], float]:
    """Findings, and the fraction: requirements covered, minus unknown ids and stories without an id."""
    findings: list[Finding] = []
    covered = {r for s in stories.stories for r in s.requirements}
    for requirement in required:
        if requirement not in covered:
            findings.append(Finding(
                rule="requirement-not-covered", severity="high", references=[requirement],
                message=_("Requirement {id} of the cahier des charges is covered by no user story.").format(id=requirement),
                help=_("Tag the story that covers it with @{id}, or write the story it lacks.").format(id=requirement)))
    known, penalties = set(required), 0
    for story in stories.stories:
        for requirement in story.requirements:
            if requirement not in known:
                penalties += 1
                findings.append(Finding(
                    rule="unknown-requirement", severity="medium", path=story.path, line=story.line,
                    message=_("Story {story} names {id}, which is not a requirement of the cahier des charges.").format(
                        story=", ".join(story.ids) or story.name, id=requirement)))
        if len(story.ids) != 1:
            penalties += 1
            findings.append(Finding(
                rule="story-without-id", severity="medium", path=story.path, line=story.line,
                message=_("The story « {name} » needs exactly one id tag like @US-01 (found: {ids}).").format(
                    name=story.name, ids=", ".join(story.ids) or "-")))
        if not story.requirements:
            findings.append(Finding(
                rule="story-without-requirement", severity="medium", path=story.path, line=story.line,
                message=_("The story « {name} » names no requirement (@EX-..): what need does it meet?").format(
                    name=story.name)))
    fraction = len(covered & known) / len(required) if required else 0.0
    return findings, max(0.0, fraction - UNKNOWN_PENALTY * penalties)


def screen_findings(stories: Stories, screens: dict, _) -> tuple[list[Finding], float]:
    findings: list[Finding] = []
    story_ids = [i for s in stories.stories for i in s.ids]
    shown = {i for screen in screens.values() for i in screen.stories}
    for story in stories.stories:
        for story_id in story.ids:
            if story_id not in shown:
                findings.append(Finding(
                    rule="story-without-screen", severity="high", path=story.path, line=story.line, references=[story_id],
                    message=_("Story {id} is realised by no mock-up screen.").format(id=story_id),
                    help=_('Add <meta name="user-stories" content="{id}"> to the screens that realise it.').format(
                        id=story_id)))
    penalties = 0
    for screen in screens.values():
        for story_id in screen.stories:
            if story_id not in story_ids:
                penalties += 1
                findings.append(Finding(
                    rule="unknown-story", severity="medium", path=screen.path, references=[story_id],
                    message=_("The screen names {id}, which is no user story of yours.").format(id=story_id)))
    fraction = len(set(story_ids) & shown) / len(set(story_ids)) if story_ids else 0.0
    return findings, max(0.0, fraction - UNKNOWN_PENALTY * penalties)


class TraceabilityCheck(Check):
    kind = "traceability"
    Options = TraceabilityOptions

    @classmethod
    def validate_lab(cls, options: TraceabilityOptions, lab, spec) -> None:
        read_specification(lab.resolve(options.specification))

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        options: TraceabilityOptions = self.options
        stories = read_stories(ctx.workspace / options.stories, ctx.workspace)
        findings = syntax_findings(stories, _)
        if not stories.stories:
            return CheckOutcome(0.0, findings=findings, message=_("No user story found in {folder}/ (*.feature).").format(
                folder=options.stories))
        if options.links == "requirements-stories":
            required = read_specification(ctx.lab.resolve(options.specification)).requirements
            more, fraction = requirement_findings(required, stories, _)
            covered = len(required) - sum(f.rule == "requirement-not-covered" for f in more)
            message = _("{covered}/{total} requirements covered by {stories} stories").format(
                covered=covered, total=len(required), stories=len(stories.stories))
        else:
            screens = read_screens(ctx.workspace / options.mockups, ctx.workspace)
            more, fraction = screen_findings(stories, screens, _)
            message = _("{screens} screens; {missing} stories without a screen").format(
                screens=len(screens), missing=sum(f.rule == "story-without-screen" for f in more))
        return CheckOutcome(fraction, findings=findings + more, message=message)
