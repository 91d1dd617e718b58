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
from rich.table import Table

from accord.cli.common import console, guarded, load_scenario_arg, print_json
from accord.errors import EngineInputError

if TYPE_CHECKING:
    from accord.forecast import DimensionForecast, ForecastResult
    from accord.scenario.model import Scenario
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
    table.add_row("[bold]mean[/]", *(_fmt(rec.mean) for rec in dim.rounds))
    table.add_row("[bold]median[/]", *(_fmt(rec.median) for rec in dim.rounds))
    return table


def _print_result(section: Stakeholders, result: ForecastResult, title: str, out: Console) -> None:
    out.print(f"[bold]Stakeholder forecast[/] — {title}")
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
        out.print(f"  [bold]forecast:[/] {_fmt(dim.forecast)} ({status})\n")


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
    ) -> None:
        """Forecast where each stakeholder dimension lands and how positions move round by round."""
        from accord.forecast import forecast

        section, title = _section_from(scenario_or_csv)
        result = forecast(section, model.value, rounds)
        if json:
            print_json(result.to_dict())
        else:
            _print_result(section, result, title, console)


def _describe_end(section: Stakeholders, dim_id: str, value: float) -> str:
    info = section.dimension(dim_id)
    lo, hi = info.scale
    share = (value - lo) / (hi - lo)
    end = info.high if share >= 0.5 else info.low
    side = "upper" if share >= 0.5 else "lower"
    where = f" ('{end}')" if end else ""
    return f"{share:.0%} of the way up the scale, in its {side} half{where}"


def run_section(scenario: Scenario, out: Console) -> dict[str, Any] | None:
    """The stakeholder section of ``accord run``: forecasts per dimension and who moves."""
    section = getattr(scenario, "stakeholders", None)
    if section is None:
        return None
    from accord.forecast import forecast

    out.rule("[bold]Stakeholder forecast[/]")
    eu = forecast(section, "scholz", 10)
    bdm = forecast(section, "bdm", 10)
    names = {a.id: a.label for a in section.actors}
    table = Table(title="Stakeholder forecast (10 rounds)", title_justify="left")
    for col in ("dimension", "start mean", "scholz", "bdm", "median voter", "actors who move"):
        table.add_column(
            col, justify="left" if col in ("dimension", "actors who move") else "right"
        )
    dims: dict[str, Any] = {}
    findings: list[str] = []
    mover_notes: list[str] = []
    for d_eu, d_bdm in zip(eu.dimensions, bdm.dimensions, strict=True):
        info = section.dimension(d_eu.dimension)
        start = d_eu.rounds[0]
        movers = d_eu.movers()
        table.add_row(
            info.label,
            _fmt(start.mean),
            _fmt(d_eu.forecast),
            _fmt(d_bdm.forecast),
            _fmt(start.median),
            ", ".join(names[m] for m in movers) or "none",
        )
        dims[d_eu.dimension] = {
            "start_mean": start.mean,
            "median_voter": start.median,
            "scholz": d_eu.forecast,
            "bdm": d_bdm.forecast,
            "converged": d_eu.converged,
            "movers": movers,
        }
        shift = d_eu.forecast - start.mean
        findings.append(
            f"{info.label}: the expected-utility forecast is {_fmt(d_eu.forecast)}, "
            f"{_describe_end(section, info.id, d_eu.forecast)}; it "
            + (
                f"shifts {_fmt(abs(shift))} {'up' if shift > 0 else 'down'} from the weighted "
                f"mean of the opening positions ({_fmt(start.mean)})."
                if abs(shift) > 1e-9
                else f"equals the weighted mean of the opening positions ({_fmt(start.mean)})."
            )
        )
        if movers:
            first, last = d_eu.rounds[0].positions, d_eu.rounds[-1].positions
            k = max(range(len(first)), key=lambda i: abs(last[i] - first[i]))
            mover_notes.append(
                f"{len(movers)} of {len(d_eu.actors)} actors move on {info.label} "
                f"({names[d_eu.actors[k]]} furthest, {_fmt(first[k])} → {_fmt(last[k])})"
            )
    if mover_notes:
        findings.append("; ".join(mover_notes) + ".")
    # Where the replication and the published form disagree most, the forecast is least robust.
    gap, gap_dim = max((abs(v["scholz"] - v["bdm"]), k) for k, v in dims.items())
    disagreement = (
        f"The two expected-utility variants disagree most on {section.dimension(gap_dim).label}: "
        f"Scholz's replication and the published form are {_fmt(gap)} apart."
    )
    findings = [*findings[:3], disagreement]
    out.print(table)
    for line in findings:
        out.print(f"  • {line}")
    return {"model": "scholz", "rounds": 10, "dimensions": dims, "findings": findings}
