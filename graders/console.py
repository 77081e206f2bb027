"""Terminal output: a progress display while grading, and a readable summary afterwards."""

from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graders.i18n import gettext_for
from graders.render._common import STATUS_LABELS, is_hidden_test
from graders.results import Result

out = Console()
err = Console(stderr=True)
STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "skipped": "yellow"}


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


def print_summary(result: Result, lang: str) -> None:
    _ = gettext_for(lang)
    table = Table(title=f"{result.lab_title or result.lab} — {result.submission or ''}", title_justify="left")
    table.add_column(_("Check"))
    table.add_column(_("Status"))
    table.add_column(_("Score"), justify="right")
    table.add_column(_("Details"))
    for check in result.checks:
        style = STATUS_STYLE.get(check.status, "")
        label = check.title or check.id
        if not check.visible:
            label += " " + _("(hidden)")
        details = check.message or "" if check.visible else ""
        table.add_row(escape(label), f"[{style}]{_(STATUS_LABELS[check.status])}[/]",
                      f"{check.score:g}/{check.max_score:g}", escape(details))
    out.print(table)
    for check in result.checks:
        if not check.visible:
            continue
        for test in check.tests:
            if test.status != "passed" and test.message and not is_hidden_test(check, test):
                out.print(f"  [red]✗[/] {escape(test.name)}: {escape(test.message.splitlines()[0][:200])}")
        for finding in check.findings:
            where = f"{finding.path}:{finding.line}" if finding.path and finding.line else (finding.path or "")
            refs = f" [dim]({escape(', '.join(finding.references))})[/]" if finding.references else ""
            text = escape(f"[{finding.severity}] {where} {finding.message.splitlines()[0][:200]}")
            out.print(f"  [yellow]•[/] {text}{refs}", highlight=False)
    total = _("Total")
    out.print(f"[bold]{total}: {result.score:g}/{result.max_score:g} ({result.percent:.0f} %)[/]")
