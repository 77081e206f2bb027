"""The report options of `cda grade`, `cda scan` and `cda audit`, generated from the report formats.

`@report_options("grade")` replaces the command's `reports` parameter by one `--FLAG PATH` option
per format the registry offers the command (graders/render/registry.py) and a repeatable
`--report FORMAT=PATH`; the command receives them as `reports` ({format: path}) and hands them to
`save_reports`. A new format is an entry point: no command changes.
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path
from typing import Callable, Mapping, Optional

import typer
from typer.models import OptionInfo

from graders.errors import BadInput
from graders.render.registry import ReportFormat, check_reports, formats_for, write_reports
from graders.results import Result

PANEL = "Reports"
PAIRS = "report_pairs"


def parameter_name(flag: str) -> str:
    return "report_" + flag.replace("-", "_")


def own_options(signature: inspect.Signature) -> set[str]:
    """The option names a command declares itself (`--lang`, `--history`, `--no-history`, `-q`...)."""
    names = set()
    for param in signature.parameters.values():
        if isinstance(param.default, OptionInfo):
            decls = param.default.param_decls or ("--" + param.name.replace("_", "-"),)
            names.update(name for decl in decls for name in decl.split("/"))
    return names


def parse_pairs(values: list[str] | None, offered: Mapping[str, ReportFormat]) -> dict[str, Path]:
    """`--report FORMAT=PATH` values as {format: path}; FORMAT is an option's name or a format's."""
    names = {**{fmt.name: fmt for fmt in offered.values()}, **offered}
    reports: dict[str, Path] = {}
    for value in values or []:
        name, sep, path = value.partition("=")
        if not sep or not name.strip() or not path:
            raise BadInput(f"--report: expected FORMAT=PATH, got {value!r}")
        if name.strip() not in names:
            raise BadInput(f"--report: unknown format {name.strip()!r} (choose from {', '.join(offered)})")
        add_report(reports, names[name.strip()].name, Path(path))
    return reports


def add_report(reports: dict[str, Path], fmt: str, path: Path) -> None:
    if reports.get(fmt, path) != path:
        raise BadInput(f"the {fmt} report is asked for twice ({reports[fmt]}, {path})")
    reports[fmt] = path


def report_options(command: str) -> Callable[[Callable], Callable]:
    """Give a Typer command the report options of `command`, in place of its `reports` parameter."""
    offered = formats_for(command)

    def decorate(func: Callable) -> Callable:
        signature = inspect.signature(func, eval_str=True)
        if "reports" not in signature.parameters:
            raise TypeError(f"{func.__qualname__} has no `reports` parameter to put the report options in")
        clash = own_options(signature) & ({f"--{flag}" for flag in offered} | {"--report"})
        if clash:
            raise RuntimeError(f"cda {command}: report options {sorted(clash)} clash with the command's own")
        generated = [
            inspect.Parameter(parameter_name(flag), inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Optional[Path],
                              default=typer.Option(None, f"--{flag}", help=fmt.help, metavar="PATH",
                                                   rich_help_panel=PANEL))
            for flag, fmt in offered.items()
        ]
        generated.append(inspect.Parameter(
            PAIRS, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Optional[list[str]],
            default=typer.Option(None, "--report", metavar="FORMAT=PATH", rich_help_panel=PANEL,
                                 help=f"Write one more report (repeatable); FORMAT among {', '.join(offered)}.")))
        params = []
        for param in signature.parameters.values():
            params.extend(generated if param.name == "reports" else [param])

        @functools.wraps(func)
        def with_reports(**kwargs):
            reports: dict[str, Path] = {}
            for flag, fmt in offered.items():
                path = kwargs.pop(parameter_name(flag))
                if path is not None:
                    add_report(reports, fmt.name, path)
            for fmt, path in parse_pairs(kwargs.pop(PAIRS), offered).items():
                add_report(reports, fmt, path)
            check_reports(reports)  # bad input before grading, not after
            return func(reports=reports, **kwargs)

        with_reports.__signature__ = signature.replace(parameters=params)
        with_reports.__annotations__ = {p.name: p.annotation for p in params if p.annotation is not p.empty}
        return with_reports

    return decorate


def save_reports(result: Result, reports: Mapping[str, Path | None] | None, lang: str) -> None:
    """Write the reports asked for, then name each on stderr (stdout keeps the summary)."""
    from graders.console import err

    for fmt, path in write_reports(result, reports or {}, lang).items():
        err.print(f"{fmt}: {path}", highlight=False, markup=False, soft_wrap=True)
