"""Terminal output: a progress display while grading, and a readable summary afterwards."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graders.i18n import gettext_for
from graders.render._common import (
    STATUS_EMOJI,
    STATUS_LABELS,
    criteria_lines,
    finding_lines,
    is_hidden_test,
    sorted_findings,
    verdict_text,
)
from graders.results import Result

# Not a terminal (logs, pipes, `make demo`): lines are never wrapped, so a log line stays one line.
out = Console(soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, soft_wrap=not sys.stderr.isatty())
STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "skipped": "yellow", "pending": "blue"}


@contextmanager
def grading_progress(label: str):
    """Yields a hook `(check_id, done, total)` for the engine; silent when stderr is not a terminal."""
    if not err.is_terminal:
        yield None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def hook(check_id: str, done: int, total: int) -> None:
            progress.update(task, total=total, completed=done, description=f"{label} · {check_id}" if check_id else label)

        yield hook


VERDICT_STYLE = {"acquired": "green", "consolidate": "yellow", "not-acquired": "red", "not-assessed": "dim"}


def print_verdicts(result: Result, lang: str) -> None:
    """The headline: each criterion's verdict (symbol and label) and why, then the CCPs' and competences'."""
    _ = gettext_for(lang)
    if not result.criteria:
        return
    out.print(f"[bold]{escape(_('Référentiel criteria'))}[/]")
    for line in criteria_lines(result, _, lang, emoji=False):
        out.print(f"  {escape(line)}", highlight=False)
    areas = [area for area in [*result.ccps, *result.competences] if area.verdict]
    if areas:
        parts = [f"[{VERDICT_STYLE[a.verdict]}]{escape(a.id)} {escape(verdict_text(a.verdict, _, emoji=False))}[/]" for a in areas]
        out.print("  " + " · ".join(parts), highlight=False)


def print_summary(result: Result, lang: str, working_copy: bool = False) -> None:
    """`working_copy`: the learner's own folder (`cda check`), named as such in the feedback language."""
    _ = gettext_for(lang)
    print_verdicts(result, lang)
    who = _("your working copy") if working_copy else (result.submission or "")
    table = Table(title=f"{result.lab_title or result.lab} — {who}", title_justify="left")
    table.add_column(_("Check"))
    table.add_column(_("Status"))
    table.add_column(_("Score"), justify="right")
    table.add_column(_("Details"))
    for check in result.report_checks(_):
        style = STATUS_STYLE.get(check.status, "")
        label = check.title or check.id
        if not check.visible:
            label += " " + _("(hidden)")
        details = check.message or "" if check.visible else ""
        table.add_row(escape(label), f"[{style}]{_(STATUS_LABELS[check.status])}[/]",
                      f"{check.score:g}/{check.max_score:g}", escape(details))
    out.print(table)
    for check in result.report_checks(_):
        for test in check.tests:
            if test.status == "pending":  # awaits the trainer: listed, hidden or not, never as a failure
                out.print(f"  {STATUS_EMOJI['pending']} {escape(test.name)}: {escape(_(STATUS_LABELS['pending']))}")
            elif test.status != "passed" and test.message and not is_hidden_test(check, test):
                out.print(f"  [red]✗[/] {escape(test.name)}: {escape(test.message.splitlines()[0][:200])}")
        # Findings are the grader's own words: every check shows them, hidden or not.
        for finding in sorted_findings(check):
            first, *more = finding_lines(finding, _)  # head and message, then references and help
            out.print(f"  [yellow]•[/] {escape(first)}", highlight=False)
            for line in more:
                out.print(f"  {escape(line)}", highlight=False)
    total = _("Total")
    out.print(f"[bold]{total}: {result.score:g}/{result.max_score:g} ({result.percent:.0f} %)[/]")
