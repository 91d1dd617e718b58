"""The ``accord`` command: a thin Typer edge over the engines (DESIGN.md §6).

Heavy imports (pydantic models, NumPy, engines) happen inside the commands, so ``accord --help``
starts quickly.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from accord import __version__
from accord.app.builtin import BUILTIN_ENGINES
from accord.cli.common import console, guarded, load_scenario_arg, print_json
from accord.cli.render import FoldTable as Table
from accord.errors import AccordError

app = typer.Typer(
    name="accord",
    help="Model, analyse, forecast and simulate real negotiations. "
    "Every SCENARIO argument is a file path or a built-in id (see 'accord list').",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help text is plain text: "accord[web]" must not be read as Rich markup and vanish.
    rich_markup_mode=None,
)

# Commands live in their own modules; each has register(app), and an engine's module may have
# render_run(engine_result, console) for its section of `accord run` (accord.cli.run_view).
ENGINE_MODULES = (*BUILTIN_ENGINES, "sweep")
EXTRA_MODULES = ("genius", "report")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]


def _version(value: bool) -> None:
    if value:
        console.print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Accord: negotiation analysis with evidence."""


def _engine_module(name: str) -> Any | None:
    try:
        return importlib.import_module(f"accord.cli.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"accord.cli.{name}":
            return None
        raise


# `accord init` is registered first so that it heads `accord --help`: a new user starts there.
importlib.import_module("accord.cli.init").register(app)


@app.command("list")
@guarded
def list_cmd(json_out: JsonOpt = False) -> None:
    """List the built-in scenarios."""

    from accord.io.scenario_file import builtin_ids, load_scenario

    rows = []
    for sid in builtin_ids():
        s = load_scenario(sid)
        rows.append(
            {"id": sid, "title": s.title, "parties": len(s.parties), "issues": len(s.issues)}
        )
    if json_out:
        print_json({"scenarios": rows})
        return
    table = Table(title="Built-in scenarios")
    for col in ("id", "title", "parties", "issues"):
        table.add_column(col)
    for r in rows:
        table.add_row(*(str(r[c]) for c in ("id", "title", "parties", "issues")))
    console.print(table)


@app.command()
@guarded
def show(scenario: str, json_out: JsonOpt = False) -> None:
    """Show a scenario: parties, issues, preferences and proposals."""
    from accord.cli.summary import print_summary

    s = load_scenario_arg(scenario)
    if json_out:
        print_json(s.to_yaml_dict())
        return
    print_summary(s, console, detailed=True)


@app.command()
@guarded
def validate(scenario: str, json_out: JsonOpt = False) -> None:
    """Check a scenario file; exit 2 with the file, line, field and fix if it is wrong."""
    from accord.scenario.model import iter_evidence

    s = load_scenario_arg(scenario)
    info = {
        "scenario": s.id,
        "valid": True,
        "parties": len(s.parties),
        "issues": len(s.issues),
        "evidence": len(iter_evidence(s)),
    }
    if json_out:
        print_json(info)
    else:
        console.print(
            f"valid: {s.id} ({info['parties']} parties, {info['issues']} issues, "
            f"{info['evidence']} evidence items)"
        )


@app.command("brief")
@guarded
def brief_cmd(
    scenario: Annotated[str, typer.Argument(help="Path or built-in id.")] = "hanoi-2019",
    json_out: JsonOpt = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random stream.")] = 0,
) -> None:
    """The briefing alone: at most eight points that answer the analyst's questions."""
    from accord.app.briefing import brief
    from accord.app.run import run_all
    from accord.cli.run_view import print_briefing

    s = load_scenario_arg(scenario)
    result = run_all(s, seed=seed)
    b = brief(result)
    if json_out:
        print_json({**_envelope(result), "briefing": b.to_dict()})
    elif markdown:
        typer.echo(b.to_markdown(), nl=False)
    else:
        print_briefing(b, console)


def _envelope(result: Any) -> dict[str, Any]:
    """The keys every --json output carries: scenario, accord_version, settings, seed."""
    d = result.to_dict()
    return {k: d[k] for k in ("scenario", "accord_version", "settings", "seed")}


@app.command("engines")
@guarded
def engines_cmd(json_out: JsonOpt = False) -> None:
    """List the engines: the key each command, sweep and JSON uses, and what it answers."""
    from accord.app.registry import all_specs
    from accord.cli.render import row, table

    specs = all_specs()
    rows = [
        {"key": k, "title": s.title, "sections": list(s.sections), "description": s.description}
        for k, s in specs.items()
    ]
    if json_out:
        print_json({"engines": rows})
        return
    t = table("Engines", ["key", "answers", "reads"])
    for r in rows:
        row(t, r["key"], r["description"] or r["title"], ", ".join(r["sections"]))
    console.print(t)


@app.command()
@guarded
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editors' validation and completion)."""
    from accord.io.schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")
    else:
        typer.echo(text, nl=False)


@app.command()
@guarded
def evidence(
    scenario: str,
    sources: Annotated[
        Path, typer.Option("--sources", help="Folder with the sources' texts.")
    ] = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Check that every evidence quote appears in its source's text; exit 1 if one does not."""

    from accord.io.evidence import check_evidence

    s = load_scenario_arg(scenario)
    report = check_evidence(s, sources)
    if json_out:
        print_json(report)
    else:
        table = Table(title=f"Evidence in {s.id}")
        for col in ("field", "source", "quote", "found"):
            table.add_column(col, overflow="fold")
        for c in report.checks:
            if not c.quote:
                continue
            mark = {True: "yes", False: "NO", None: "no text"}[c.found]
            table.add_row(c.field, c.source, c.quote, mark)
        console.print(table)
        d = report.to_dict()
        console.print(
            f"{d['found']} of {d['quotes']} quotes found; {d['missing']} missing, "
            f"{d['unchecked']} without a source text."
        )
        from accord.cli.render import clean

        for missing in report.missing_texts:  # where to get each absent text (its url)
            console.print(clean(missing.message), soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@guarded
def run(
    scenario: Annotated[str, typer.Argument(help="Path or built-in id.")] = "hanoi-2019",
    json_out: JsonOpt = False,
    report: Annotated[
        Path | None,
        typer.Option(help="Where to write the HTML report (default: accord-report-ID.html)."),
    ] = None,
    no_report: Annotated[bool, typer.Option("--no-report", help="Do not write a report.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random stream.")] = 0,
    brief_only: Annotated[
        bool, typer.Option("--brief", help="Print only the briefing (the answer first).")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Print the briefing and every section (the default).")
    ] = False,
) -> None:
    """Run every engine the scenario supports and print the findings (default: hanoi-2019).

    Every engine runs once; the terminal output and the self-contained HTML report (opens
    offline) both show that one result.
    """
    from accord.app.run import run_all
    from accord.cli.run_view import print_run

    s = load_scenario_arg(scenario)
    result = run_all(s, seed=seed)
    report_path: Path | None = None
    report_note: str | None = None
    if not no_report:
        from accord.cli.report import try_write_report

        report_path, report_note = try_write_report(
            result, report or Path(f"accord-report-{s.id}.html")
        )
    if json_out:
        from accord.app.briefing import brief

        out = result.to_dict()
        out["briefing"] = brief(result).to_dict()
        out["report"] = None if report_path is None else str(report_path)
        if report_note:
            out["report_note"] = report_note
        print_json(out)
        return
    if brief_only and full:
        raise AccordError("give --brief or --full, not both")
    print_run(result, console, brief_only=brief_only)
    if report_path is not None or report_note:
        console.rule()
    if report_path is not None:
        console.print(f"Report written to {report_path} (self-contained; opens offline).")
    elif report_note:
        console.print(report_note)


def _register_all() -> None:
    for name in ENGINE_MODULES + EXTRA_MODULES:
        module = _engine_module(name)
        if module is not None and hasattr(module, "register"):
            module.register(app)


_register_all()


def main() -> None:
    app()
