"""A competence record shown: a C1–C11 × criteria grid on the terminal and as one self-contained,
accessible HTML page (each verdict by symbol, text and pattern, never by colour alone), then the
labs, evidence and trainer notes behind every verdict. Printing the HTML gives the PDF."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graders.console import VERDICT_STYLE
from graders.render._common import VERDICT_GLYPH, VERDICT_LABELS, translator
from graders.render._jinja import TEMPLATES_DIR

HERE = Path(__file__).parent / "templates"


def grid(record: dict) -> list[tuple[dict, list[dict]]]:
    """(competence, its criteria in order) for C1..C11."""
    return [(comp, [c for c in record["criteria"] if c["competence"] == comp["id"]]) for comp in record["competences"]]


def print_record(record: dict, lang: str, console: Console | None = None) -> None:
    _ = translator(lang)
    console = console or Console()
    rows = grid(record)
    width = max(len(criteria) for _comp, criteria in rows)
    table = Table(title=_("Competence record of {learner}").format(learner=record["learner"]),
                  caption=" · ".join(f"{VERDICT_GLYPH[v]} {_(label)}" for v, label in VERDICT_LABELS.items()))
    table.add_column(_("Competence"))
    for k in range(1, width + 1):
        table.add_column(f".{k}", justify="center")
    table.add_column(_("Verdict"))
    for comp, criteria in rows:
        cells = [f"[{VERDICT_STYLE[c['verdict']]}]{VERDICT_GLYPH[c['verdict']]}[/]" for c in criteria]
        verdict = comp["verdict"]
        table.add_row(comp["id"], *cells, *[""] * (width - len(cells)),
                      f"[{VERDICT_STYLE[verdict]}]{VERDICT_GLYPH[verdict]} {escape(_(VERDICT_LABELS[verdict]))}[/]")
    console.print(table)
    for ccp in record["ccps"]:
        status = _("ready for the jury") if ccp["ready"] else _("not ready: {missing}").format(
            missing=", ".join(ccp["missing"]))
        console.print(f"{ccp['id']} {escape(ccp['title'] or '')}: {escape(status)}", highlight=False)
    for criterion in record["criteria"]:
        for lab in criterion["labs"]:
            reviewed = lab["reviews"][-1] if lab["reviews"] else None
            line = f"{criterion['id']} {VERDICT_GLYPH[lab['verdict']]} {_(VERDICT_LABELS[lab['verdict']])} · {lab['lab']}"
            if reviewed:
                line += " · " + _("trainer {reviewer}: {note} (automatic: {automatic})").format(
                    reviewer=reviewed["reviewer"], note=reviewed["note"],
                    automatic=_(VERDICT_LABELS[lab["automatic_verdict"]]))
            console.print(escape(line), highlight=False)


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=ChoiceLoader([FileSystemLoader(HERE), FileSystemLoader(TEMPLATES_DIR)]),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def record_html(record: dict, lang: str) -> str:
    _ = translator(lang)
    labels = {v: _(label) for v, label in VERDICT_LABELS.items()}
    return environment().get_template("record.html").render(
        _=_, lang=lang, record=record, rows=grid(record), labels=labels, glyph=VERDICT_GLYPH,
        width=max(len(criteria) for _comp, criteria in grid(record)))
