"""`uml-diagrams` check (C5): the use-case and sequence diagrams, parsed by Mermaid, name the
actors and use cases of the cahier des charges.

Use-case diagram (a Mermaid flowchart): every actor and every use case of the cahier is a node
(by its name, or the use case's id), each use case linked to an actor. Sequence diagram: an actor
of the cahier takes part (`actor`), its title names one of the learner's stories (US-..), and
messages go back and forth.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.design.cahier import normalise
from graders.design.cahier import read as read_specification
from graders.design.mermaid import Diagram, shared_diagrams
from graders.design.mockups import STORY as STORY_IN_TEXT
from graders.design.stories import read_stories
from graders.results import Finding, TestCase


class DiagramOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    specification: str = "grader/cahier-des-charges.toml"
    folder: str = "diagrammes"
    use_case: str = "cas-utilisation.mmd"
    sequence: str = "sequence.mmd"
    stories: str = "user-stories"
    min_messages: int = Field(2, ge=1)

    @model_validator(mode="after")
    def relative(self) -> "DiagramOptions":
        if any(Path(p).is_absolute() for p in (self.specification, self.folder, self.stories)):
            raise ValueError("paths must be relative")
        return self


def parse_finding(diagram: Diagram | None, path: str, wanted: str, _) -> Finding | None:
    if diagram is None:
        return Finding(rule="diagram-missing", severity="high", path=path,
                       message=_("Missing diagram: {path} ({kind}).").format(path=path, kind=wanted))
    if diagram.error:
        return Finding(rule="diagram-syntax", severity="high", path=path,
                       message=_("Mermaid cannot read this diagram: {error}").format(error=diagram.error),
                       help=_("Paste it in the Mermaid live editor (mermaid.live) to see the error in place."))
    if not (diagram.type or "").startswith(wanted):
        return Finding(rule="diagram-kind", severity="high", path=path,
                       message=_("This diagram is a {found}, not a {wanted}.").format(found=diagram.type, wanted=wanted))
    return None


def use_case_parts(diagram: Diagram, spec, path: str, _) -> tuple[list[Finding], float]:
    """Findings and the fraction of the actors and use cases the diagram names."""
    labels = {normalise(label): node for node, label in diagram.nodes.items()}
    labels.update({normalise(node): node for node in diagram.nodes})
    findings, found_actors, found_cases = [], {}, {}
    for actor_id, name in spec.actors.items():
        if normalise(name) in labels:
            found_actors[actor_id] = labels[normalise(name)]
        else:
            findings.append(Finding(rule="diagram-missing-actor", severity="medium", path=path,
                                    message=_("The use-case diagram does not show the actor « {name} ».").format(name=name)))
    for uc_id, name in spec.use_cases.items():
        node = labels.get(normalise(name)) or labels.get(normalise(uc_id))
        if node is None:
            findings.append(Finding(rule="diagram-missing-use-case", severity="medium", path=path, references=[uc_id],
                                    message=_("The use-case diagram does not show the use case {id} « {name} ».").format(
                                        id=uc_id, name=name)))
        else:
            found_cases[uc_id] = node
    actor_nodes = set(found_actors.values())
    linked = {a for a, b in diagram.edges if b in actor_nodes} | {b for a, b in diagram.edges if a in actor_nodes}
    for uc_id, node in found_cases.items():
        if node not in linked:
            findings.append(Finding(rule="use-case-without-actor", severity="low", path=path, references=[uc_id],
                                    message=_("The use case {id} is linked to no actor.").format(id=uc_id)))
    total = len(spec.actors) + len(spec.use_cases) * 2
    earned = len(found_actors) + len(found_cases) + len(set(found_cases.values()) & linked)
    return findings, earned / total if total else 0.0


def sequence_parts(diagram: Diagram, spec, story_ids: set[str], path: str, min_messages: int, _):
    findings, earned = [], 0.0
    actors = {normalise(n) for n in spec.actors.values()}
    if any(kind == "actor" and normalise(diagram.actors.get(name, name)) in actors
           for name, kind in diagram.actor_kinds.items()):
        earned += 1
    else:
        findings.append(Finding(rule="sequence-without-actor", severity="medium", path=path, message=_(
            "No actor of the cahier des charges takes part in the sequence (declare it with `actor`).")))
    named = set(STORY_IN_TEXT.findall(diagram.title or ""))
    if named & story_ids:
        earned += 1
    else:
        findings.append(Finding(rule="sequence-without-story", severity="medium", path=path, message=_(
            "The sequence diagram's title names none of your stories (title US-04 Emprunter un document...).")))
    if diagram.messages >= min_messages:
        earned += 1
    else:
        findings.append(Finding(rule="sequence-too-short", severity="medium", path=path, message=_(
            "The sequence shows {count} message(s); at least {min} are expected.").format(
            count=diagram.messages, min=min_messages)))
    return findings, earned / 3


class UmlDiagramsCheck(Check):
    kind = "uml-diagrams"
    Options = DiagramOptions

    @classmethod
    def validate_lab(cls, options: DiagramOptions, lab, spec) -> None:
        read_specification(lab.resolve(options.specification))

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        options: DiagramOptions = self.options
        spec = read_specification(ctx.lab.resolve(options.specification))
        diagrams = shared_diagrams(ctx, options.folder)
        story_ids = {i for s in read_stories(ctx.workspace / options.stories, ctx.workspace).stories for i in s.ids}
        findings, tests, earned = [], [], 0.0
        for name, wanted, weight in ((options.use_case, "flowchart", 0.6), (options.sequence, "sequence", 0.4)):
            path = f"{options.folder}/{name}"
            diagram = diagrams.get(path)
            problem = parse_finding(diagram, path, wanted, _)
            if problem is not None:
                findings.append(problem)
                tests.append(TestCase(name=path, status="failed", max_score=weight, message=problem.message))
                continue
            if wanted == "flowchart":
                more, part = use_case_parts(diagram, spec, path, _)
            else:
                more, part = sequence_parts(diagram, spec, story_ids, path, options.min_messages, _)
            part = 0.25 + 0.75 * part  # it parses and renders: a quarter of its share
            findings += more
            earned += weight * part
            tests.append(TestCase(name=path, status="passed" if part >= 1 else "failed", score=round(weight * part, 4),
                                  max_score=weight))
        return CheckOutcome(earned, findings=findings, tests=tests,
                            message=_("{count} diagram(s) read by Mermaid").format(
                                count=sum(1 for d in diagrams.values() if not d.error)))
