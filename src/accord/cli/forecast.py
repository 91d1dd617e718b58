"""``accord forecast``: where a decision lands, given who has a stake in it.

Parses arguments, calls :mod:`accord.forecast`, prints. A path ending in ``.csv`` is read as a
stakeholder table (:mod:`accord.io.stakeholders_csv`); anything else is a scenario path or a
built-in scenario id.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from accord.cli.common import (
    console,
    guarded,
    load_scenario_arg,
    print_result,
    progress_bar,
    show_progress,
)
from accord.cli.render import FoldTable as Table
from accord.errors import EngineInputError

if TYPE_CHECKING:
    from accord.forecast import DimensionForecast, ForecastResult
    from accord.scenario.stakeholders import Stakeholders


class Model(StrEnum):
    scholz = "scholz"
    bdm = "bdm"
    compromise = "compromise"
    median = "median"


def _section_from(ref: str) -> tuple[Stakeholders, str]:
    """The stakeholders section and a title, from a CSV path or a scenario."""
    if ref.lower().endswith(".csv"):
        from accord.io.stakeholders_csv import read_stakeholders_csv

        return read_stakeholders_csv(ref), ref
    scenario = load_scenario_arg(ref)
    section = getattr(scenario, "stakeholders", None)
    if section is None:
        raise EngineInputError(
            f"the scenario '{scenario.id}' has no stakeholders section; add one (dimensions and "
            "actors with capability, positions and salience) or pass a stakeholder CSV"
        )
    return section, scenario.title


VERBS = {
    "confrontation": "loses a confrontation to",
    "compromise": "compromises with",
    "capitulation": "capitulates to",
}


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.3e}"


def _rounds_table(section: Stakeholders, dim: DimensionForecast) -> Table:
    info = section.dimension(dim.dimension)
    table = Table(title=f"{info.label} ({dim.model})", title_justify="left")
    table.add_column("actor")
    for rec in dim.rounds:
        table.add_column(f"r{rec.round}", justify="right")
    for k, actor in enumerate(dim.actors):
        table.add_row(actor, *(_fmt(rec.positions[k]) for rec in dim.rounds))
    table.add_row(Text("mean", style="bold"), *(_fmt(rec.mean) for rec in dim.rounds))
    table.add_row(Text("median", style="bold"), *(_fmt(rec.median) for rec in dim.rounds))
    return table


def _print_result(section: Stakeholders, result: ForecastResult, title: str, out: Console) -> None:
    out.print(Text.assemble(("Stakeholder forecast", "bold"), f" — {title}"))
    for dim in result.dimensions:
        out.print(_rounds_table(section, dim))
        for rec in dim.rounds[1:]:
            if rec.offers:
                moves = "; ".join(
                    f"{o.actor} {VERBS[o.kind]} {o.sender} ({_fmt(o.before)} → {_fmt(o.after)})"
                    for o in rec.offers
                )
                out.print(f"  round {rec.round}: {moves}")
        status = "positions settled" if dim.converged else f"after {len(dim.rounds) - 1} rounds"
        out.print(Text.assemble("  ", ("forecast:", "bold"), f" {_fmt(dim.forecast)} ({status})"))
        if dim.convergence is not None:
            out.print(
                Text.assemble(
                    "  ",
                    ("prediction:", "bold"),
                    f" {_fmt(dim.prediction)} (weighted median, the position that wins every "
                    "pairwise vote)",
                )
            )
            out.print(f"  the weighted mean {dim.convergence.sentence()}")
        out.print()


def register(app: typer.Typer) -> None:
    """Add the ``forecast`` command to the Accord app."""

    @app.command("forecast")
    @guarded
    def forecast_command(
        scenario_or_csv: Annotated[
            str, typer.Argument(help="scenario file, built-in scenario id, or stakeholder .csv")
        ],
        model: Annotated[Model, typer.Option(help="forecasting model")] = Model.scholz,
        rounds: Annotated[
            int, typer.Option(min=0, max=1000, help="most rounds (expected-utility models)")
        ] = 10,
        json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
        progress: Annotated[
            bool,
            typer.Option(
                "--progress", help="show a progress bar on stderr (shown anyway on a terminal)"
            ),
        ] = False,
    ) -> None:
        """Forecast where each stakeholder dimension lands and how positions move round by round."""
        from accord.forecast import forecast

        with progress_bar("reading and forecasting", show_progress(progress)):
            section, title = _section_from(scenario_or_csv)
            result = forecast(section, model.value, rounds)
        if json:
            print_result(
                scenario_or_csv, {"model": model.value, "rounds": rounds}, None, result.to_dict()
            )
        else:
            _print_result(section, result, title, console)


def _summary_table(er: Any) -> Table:
    r = er.result
    section = r.scenario.stakeholders
    other = {} if r.other is None else {d.dimension: d for d in r.other.dimensions}
    table = Table(title=f"Stakeholder forecast ({r.rounds} rounds)", title_justify="left")
    cols = ["dimension", "start mean", f"{r.model} prediction", f"{r.model} mean"]
    if r.other is not None:
        cols += [f"{r.other.model} prediction", f"{r.other.model} mean"]
    for col in cols:
        table.add_column(col, justify="left" if col == "dimension" else "right")

    def mean_cell(d: Any) -> str:
        conv = d.convergence
        late = conv is not None and conv.status == "converged" and conv.mean_range is not None
        if late and (conv.rounds or 0) > len(d.rounds) - 1:
            return f"{_fmt(d.forecast)} (→ {conv.mean_range[0]:.1f} by round {conv.rounds})"
        if conv is None or conv.status == "converged":
            return _fmt(d.forecast)
        lo, hi = conv.mean_range or (d.forecast, d.forecast)
        return f"{lo:.1f}–{hi:.1f} ({'cycle' if conv.status == 'cycle' else 'moving'})"

    for d in r.result.dimensions:
        cells = [section.dimension(d.dimension).label, _fmt(d.rounds[0].mean)]
        cells += [_fmt(d.prediction), mean_cell(d)]
        o = other.get(d.dimension)
        if o is not None:
            cells += [_fmt(o.prediction), mean_cell(o)]
        table.add_row(*cells)
    table.caption = "prediction: weighted median of the final positions; mean: weighted mean"
    return table


def render_run(er: Any, out: Console) -> None:
    """The stakeholder section of ``accord run``, from the one computed result."""
    from accord.cli.render import bullets, rule

    rule(out, er.title)
    out.print(_summary_table(er))
    bullets(out, er.findings)
