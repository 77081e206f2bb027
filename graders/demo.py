"""`make demo`: grade every lab's solution, starter and examples, and build a dashboard."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import Progress

from graders.console import err, out
from graders.engine import grade
from graders.labs import Lab, discover_labs
from graders.results import Result
from graders.sandbox import get_sandbox


@dataclass
class Target:
    lab: Lab
    name: str
    path: Path
    low: float
    high: float
    verdicts: dict[str, str] = field(default_factory=dict)  # criterion id -> the verdict it must get
    blocking: list[str] = field(default_factory=list)  # flaws a criterion must name as blocking
    all_acquired: bool = False  # the solution: every criterion the lab assesses is acquired

    @property
    def label(self) -> str:
        return f"{self.lab.id} / {self.name}"

    def misses(self, result: Result) -> list[str]:
        """Why `result` is off target (empty when it is on target): the verdicts first, then the score."""
        got = {c.id: c.verdict for c in result.criteria}
        wrong = [f"{cid}: {got.get(cid, 'absent')} instead of {want}" for cid, want in self.verdicts.items()
                 if got.get(cid) != want]
        named = {flaw.flaw for criterion in result.criteria for flaw in criterion.blocking}
        wrong += [f"blocking flaw {flaw} not named" for flaw in self.blocking if flaw not in named]
        if self.all_acquired:
            wrong += [f"{c.id}: {c.verdict} instead of acquired" for c in result.criteria
                      if c.verdict != "acquired" and not (c.verdict == "not-assessed" and c.rubric)]
        if not self.low <= result.percent <= self.high:
            wrong.append(f"{result.percent:.1f} % not in [{self.low:g}, {self.high:g}]")
        return wrong


def targets(labs: list[Lab]) -> list[Target]:
    """What each lab's reference submissions must score: solution 100 %, starter under half."""
    found = []
    for lab in labs:
        found.append(Target(lab, "solution", lab.path / "solution", 100, 100, all_acquired=True))
        found.append(Target(lab, "starter", lab.path / "starter", 0, 49.99))
        for name, spec in sorted(lab.manifest.examples.items()):
            found.append(Target(lab, f"examples/{name}", lab.path / "examples" / name, *spec.expected_pct,
                                verdicts=dict(spec.expected_verdicts), blocking=list(spec.expected_blocking)))
    return found


def grade_target(target: Target, lang: str) -> Result:
    return grade(target.lab, target.path, lang=lang, sandbox=get_sandbox())


def run_demo(output: Path, lang: str = "fr", labs: list[Lab] | None = None) -> bool:
    from graders.render import write_report
    from graders.render.dashboard import DashboardEntry, render_dashboard

    output.mkdir(parents=True, exist_ok=True)
    todo = targets(labs if labs is not None else discover_labs())
    results: dict[str, Result] = {}
    workers = int(os.environ.get("CDA_JOBS", os.cpu_count() or 1))
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("demo", total=len(todo))
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {t.label: pool.submit(grade_target, t, lang) for t in todo}
            for label, future in futures.items():
                results[label] = future.result()
                progress.advance(task)
    entries, all_on_target = [], True
    for target in todo:
        result = results[target.label]
        slug = target.label.replace(" / ", "--").replace("/", "-")
        write_report(result, "json", output / f"{slug}.json", lang)
        write_report(result, "html", output / f"{slug}.html", lang)
        misses = target.misses(result)
        all_on_target &= not misses
        mark = "[green]✓[/]" if not misses else "[red]✗ off target[/]"
        detail = f" — {'; '.join(misses)}" if misses else ""
        out.print(f"{mark} {target.label}: {result.percent:.1f} % (expected {target.low:g}–{target.high:g} %){detail}",
                  highlight=False)
        entries.append(DashboardEntry(label=target.label, result=result, report_href=f"{slug}.html",
                                      json_href=f"{slug}.json"))
    index = output / "index.html"
    index.write_text(render_dashboard(entries, lang=lang), encoding="utf-8")
    out.print(f"Dashboard: {index.resolve()}")
    out.print(f"JSON results: {output.resolve()}/*.json")
    return all_on_target
