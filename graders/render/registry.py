"""Report formats, found through the `cda.renderers` entry-point group (as checks and sandboxes are).

An entry point names a format and points at a `ReportFormat`, or at a bare `render(result, lang=...)`
function (its `extension` attribute, else `.<name>`, gives the file extension; its docstring's
first line, the option's help). `cda grade`, `cda scan` and `cda audit` offer one `--FLAG PATH`
option per format (graders/report_options.py) and write them all with `write_reports`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Callable, Mapping

from graders.errors import BadInput
from graders.results import Result

GROUP = "cda.renderers"

Render = Callable[..., str]


@dataclass(frozen=True)
class ReportFormat:
    """One report format: how it renders a `Result`, what its file ends with, how commands offer it."""

    render: Render  # render(result, lang="fr") -> str
    extension: str  # with its dot: ".html"
    help: str = ""  # the option's help in `cda COMMAND --help`
    flag: str | None = None  # the option, without its dashes; default: the format's name
    commands: tuple[str, ...] | None = None  # the commands offering it; default: every report-writing command
    order: int = 100  # rank among the options (the shipped formats use 10..60)
    name: str = ""  # the entry point's name, set when it is loaded

    @property
    def option(self) -> str:
        return self.flag or self.name


def load_format(entry: EntryPoint) -> ReportFormat:
    found = entry.load()
    if isinstance(found, ReportFormat):
        return replace(found, name=entry.name)
    if callable(found):
        doc = (found.__doc__ or "").strip().splitlines()
        return ReportFormat(render=found, extension=getattr(found, "extension", f".{entry.name}"),
                            help=doc[0] if doc else "", name=entry.name)
    raise TypeError(f"entry point {GROUP}:{entry.name} = {entry.value} is neither a ReportFormat nor a function")


@lru_cache(maxsize=1)
def installed_formats() -> dict[str, ReportFormat]:
    """Every installed format by name, in option order."""
    formats = sorted((load_format(entry) for entry in entry_points(group=GROUP)), key=lambda f: (f.order, f.name))
    return {fmt.name: fmt for fmt in formats}


def formats_for(command: str) -> dict[str, ReportFormat]:
    """The formats `command` offers, by option. A format made for the command (its `commands` name
    it) takes the option of a general one: `cda audit --html` is the audit's own HTML."""
    chosen: dict[str, ReportFormat] = {}
    for fmt in installed_formats().values():
        if fmt.commands is not None and command not in fmt.commands:
            continue
        other = chosen.get(fmt.option)
        if other is not None:
            if (other.commands is None) == (fmt.commands is None):
                raise RuntimeError(f"report formats {other.name!r} and {fmt.name!r} both claim "
                                   f"`cda {command} --{fmt.option}` (entry points {GROUP})")
            if fmt.commands is None:
                continue
        chosen[fmt.option] = fmt
    return dict(sorted(chosen.items(), key=lambda item: (item[1].order, item[0])))


def get_format(name: str) -> ReportFormat:
    formats = installed_formats()
    if name not in formats:
        known = ", ".join(formats) or f"none installed: `make install` registers the {GROUP} entry points"
        raise BadInput(f"unknown report format {name!r} (choose from {known})")
    return formats[name]


def render(result: Result, fmt: str, lang: str = "fr") -> str:
    return get_format(fmt).render(result, lang=lang)


def write_report(result: Result, fmt: str, path: str | Path, lang: str = "fr") -> Path:
    """Render `result` as `fmt` and write it to `path` (UTF-8), creating parent directories."""
    text = render(result, fmt, lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def check_reports(reports: Mapping[str, str | Path | None]) -> dict[str, Path]:
    """{format: path} without the None paths, once every format is known and no two reports share a
    file (devices such as /dev/stdout excepted); else bad input."""
    wanted = {fmt: Path(path) for fmt, path in reports.items() if path is not None}
    claimed: dict[str, str] = {}
    for fmt, path in wanted.items():
        get_format(fmt)
        if path.exists() and not path.is_file():
            continue
        other = claimed.setdefault(os.path.abspath(path), fmt)
        if other != fmt:
            raise BadInput(f"{path}: the {other} and {fmt} reports cannot both be written there")
    return wanted


def write_reports(result: Result, reports: Mapping[str, str | Path | None], lang: str = "fr") -> dict[str, Path]:
    """Write `result` once per entry of `reports` ({format: path}; a None path is skipped), all of
    them checked (`check_reports`) before anything is written. Returns what was written."""
    wanted = check_reports(reports)
    return {fmt: write_report(result, fmt, path, lang) for fmt, path in wanted.items()}
