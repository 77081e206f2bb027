"""`screen-flow` check (C5): the screen-flow diagram (Mermaid flowchart, parsed by Mermaid) is what
the mock-ups' links do.

Nodes are screens: a node id is the name of a mock-up file (`catalogue` for maquettes/catalogue.html).
The links of the mock-ups are crawled from the start screen (the diagram's first node, or
`start`) and the two graphs compared: every declared edge missing from the links, and every link
the diagram does not declare, is a finding naming both screens.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.uml_diagrams_check import parse_finding
from graders.design.mermaid import shared_diagrams
from graders.design.mockups import crawl, read_screens
from graders.results import Finding

PARSED_SHARE = 0.3  # the diagram parses as a flowchart of existing screens
NODE_PENALTY = 0.1  # per screen of the diagram without a mock-up, or mock-up missing from the diagram


class ScreenFlowOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    folder: str = "diagrammes"
    file: str = "enchainement-ecrans.mmd"
    mockups: str = "maquettes"
    start: str | None = None

    @model_validator(mode="after")
    def relative(self) -> "ScreenFlowOptions":
        if Path(self.folder).is_absolute() or Path(self.mockups).is_absolute():
            raise ValueError("folder and mockups must be relative paths")
        return self


def compare(declared: set[tuple[str, str]], linked: set[tuple[str, str]], diagram_path: str, mockups: str, _):
    findings = []
    for a, b in sorted(declared - linked):
        findings.append(Finding(rule="flow-edge-missing", severity="high", path=f"{mockups}/{a}.html", message=_(
            "The screen flow declares {a} → {b}, but no link of {a}.html (reached from the start screen) leads "
            "to {b}.html.").format(a=a, b=b)))
    for a, b in sorted(linked - declared):
        findings.append(Finding(rule="flow-edge-undeclared", severity="high", path=f"{mockups}/{a}.html", message=_(
            "{a}.html links to {b}.html, but the screen flow ({diagram}) has no edge {a} → {b}.").format(
            a=a, b=b, diagram=diagram_path)))
    return findings


class ScreenFlowCheck(Check):
    kind = "screen-flow"
    Options = ScreenFlowOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        options: ScreenFlowOptions = self.options
        path = f"{options.folder}/{options.file}"
        diagram = shared_diagrams(ctx, options.folder).get(path)
        problem = parse_finding(diagram, path, "flowchart", _)
        if problem is not None:
            return CheckOutcome(0.0, findings=[problem], message=problem.message)
        screens = read_screens(ctx.workspace / options.mockups, ctx.workspace)
        nodes = list(diagram.nodes)
        findings = [Finding(rule="screen-without-mockup", severity="medium", path=path, message=_(
            "The screen flow shows {node}, but {mockups}/{node}.html does not exist.").format(node=n, mockups=options.mockups))
            for n in nodes if n not in screens]
        findings += [Finding(rule="mockup-not-in-flow", severity="medium", path=screen.path, message=_(
            "The mock-up {file} is no screen of the flow (its node id must be {node}).").format(file=screen.path, node=name))
            for name, screen in screens.items() if name not in diagram.nodes]
        findings += [Finding(rule="broken-link", severity="medium", path=screen.path, message=_(
            "{file} links to {target}.html, which does not exist.").format(file=screen.path, target=target))
            for screen in screens.values() for target in screen.links if target not in screens]
        start = options.start or (nodes[0] if nodes else None)
        if start is None or start not in screens:
            findings.append(Finding(rule="flow-start", severity="high", path=path, message=_(
                "The start screen {start} has no mock-up: the links cannot be followed.").format(start=start or "-")))
            return CheckOutcome(0.0, findings=findings, message=_("No start screen."))
        declared = {(a, b) for a, b in diagram.edges if a != b}
        linked = crawl(screens, start)
        findings += compare(declared, linked, path, options.mockups, _)
        union = declared | linked
        agreement = len(declared & linked) / len(union) if union else 0.0
        fraction = PARSED_SHARE + (1 - PARSED_SHARE) * agreement
        fraction -= NODE_PENALTY * sum(f.rule in ("screen-without-mockup", "mockup-not-in-flow") for f in findings)
        return CheckOutcome(max(0.0, fraction), findings=findings, message=_(
            "{same}/{total} transitions of the flow realised by the mock-ups' links").format(
            same=len(declared & linked), total=len(union)))
