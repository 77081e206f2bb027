"""Report formats as plugins: entry points of the cda.renderers group become options of grade, scan and
audit, with no change to the core; the generated options and `--report FORMAT=PATH`."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
import typer
from typer.testing import CliRunner

from graders.errors import BadInput
from graders.render import registry
from graders.render.registry import ReportFormat
from graders.report_options import report_options
from tests.helpers import FIXTURE_LABS, run_cda

CSV_PLUGIN = '''
def render(result, lang="fr"):
    """Write one CSV line per check."""
    rows = ["check,status,score,max_score"] + [f"{c.id},{c.status},{c.score:g},{c.max_score:g}" for c in result.checks]
    return "\\n".join(rows) + "\\n"


render.extension = ".csv"
'''


def csv_render(result, lang="fr"):
    """Write one CSV line per check."""
    return "".join(f"{check.id},{check.status}\n" for check in result.checks)


csv_render.extension = ".csv"
AUDIT_JSON = ReportFormat(csv_render, ".json", flag="json", commands=("audit",))
GENERAL_JSON = ReportFormat(csv_render, ".json", flag="json")
NOT_A_FORMAT = 42


@pytest.fixture
def installed(monkeypatch):
    """Install these entry points (`name = "tests.test_report_formats:OBJECT"`) for the test's duration."""

    def install(**entries: str) -> None:
        points = [EntryPoint(name, f"tests.test_report_formats:{obj}", registry.GROUP) for name, obj in entries.items()]
        monkeypatch.setattr(registry, "entry_points", lambda group: points if group == registry.GROUP else [])
        registry.installed_formats.cache_clear()

    yield install
    registry.installed_formats.cache_clear()


def test_a_bare_function_is_a_format(installed):
    installed(csv="csv_render")
    fmt = registry.get_format("csv")
    assert (fmt.name, fmt.extension, fmt.option, fmt.help) == ("csv", ".csv", "csv", "Write one CSV line per check.")
    assert list(registry.formats_for("scan")) == ["csv"]


def test_a_format_for_one_command_takes_the_general_option(installed):
    installed(csv="csv_render", mine="AUDIT_JSON", json="GENERAL_JSON")
    assert {flag: fmt.name for flag, fmt in registry.formats_for("audit").items()} == {"json": "mine", "csv": "csv"}
    assert {flag: fmt.name for flag, fmt in registry.formats_for("grade").items()} == {"json": "json", "csv": "csv"}


@pytest.mark.parametrize("entries,error", [
    ({"json": "GENERAL_JSON", "other": "GENERAL_JSON"}, "both claim `cda grade --json`"),
    ({"bad": "NOT_A_FORMAT"}, "neither a ReportFormat nor a function"),
])
def test_broken_plugins_are_named(installed, entries, error):
    installed(**entries)
    with pytest.raises((RuntimeError, TypeError), match=error):
        registry.formats_for("grade")


def test_no_format_installed_says_how_to_fix_it(installed):
    installed()
    with pytest.raises(BadInput, match="make install"):
        registry.get_format("json")


def toy_app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @report_options("grade")
    def grade(name: str = typer.Argument(...), reports: dict | None = None,
              quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
        typer.echo(f"{name} {sorted((fmt, str(path)) for fmt, path in reports.items())} {quiet}")

    return app


def test_generated_options_reach_the_command_as_one_dict(tmp_path):
    runner = CliRunner()
    done = runner.invoke(toy_app(), ["x", "--json", "a.json", "--report", "sarif=b.sarif", "--report", "junit=c.xml", "-q"])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == "x [('json', 'a.json'), ('junit', 'c.xml'), ('sarif', 'b.sarif')] True"
    help_text = runner.invoke(toy_app(), ["--help"], terminal_width=200).output
    for flag in ("--json", "--markdown", "--html", "--junit", "--sarif", "--gradescope", "--report", "--quiet"):
        assert flag in help_text


def test_an_option_of_the_command_may_not_be_a_format():
    with pytest.raises(RuntimeError, match=r"\['--json'\] clash"):
        @report_options("grade")
        def command(reports: dict | None = None, as_json: bool = typer.Option(False, "--json")) -> None:
            pass


def test_a_plugin_package_adds_a_format_to_every_command(tmp_path):
    """What a third-party package does: a module and one entry point; cda itself does not change."""
    site = tmp_path / "site"
    (site / "cda_csv_plugin-0.1.dist-info").mkdir(parents=True)
    (site / "cda_csv_plugin-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: cda-csv-plugin\nVersion: 0.1\n")
    (site / "cda_csv_plugin-0.1.dist-info" / "entry_points.txt").write_text("[cda.renderers]\ncsv = cda_csv_plugin:render\n")
    (site / "cda_csv_plugin.py").write_text(CSV_PLUGIN)
    env = {"PYTHONPATH": str(site)}
    for command in ("grade", "scan", "audit"):
        help_text = run_cda(command, "--help", extra_env={**env, "COLUMNS": "200"}).stdout
        assert "--csv" in help_text and "Write one CSV line per check." in help_text, command
    out = tmp_path / "r.csv"
    done = run_cda("grade", "mini-lab", str(FIXTURE_LABS / "mini-lab" / "solution"), "--csv", str(out), "-q",
                   labs_dir=FIXTURE_LABS, extra_env=env)
    assert done.returncode == 0, done.stderr
    assert out.read_text().splitlines()[0] == "check,status,score,max_score"
    assert "visible,passed,4,4" in out.read_text() and f"csv: {out}" in done.stderr
