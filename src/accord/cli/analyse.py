"""``accord analyse``: bargaining analysis of a scenario (frontier, zone, solutions, proposals).

The command prints Rich tables (or one JSON object with ``--json``); :func:`run_section` is the
bargaining part of ``accord run``. Parsing and printing only: the numbers come from
:func:`accord.bargaining.analyse`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_json
from accord.errors import EngineInputError

if TYPE_CHECKING:
    from accord.bargaining import AnalysisResult
    from accord.scenario.model import Scenario

SOLUTION_LABELS = {
    "nash": "Nash (max product of gains)",
    "kalai_smorodinsky": "Kalai–Smorodinsky (equal share of best gain)",
    "utilitarian": "Utilitarian (max total utility)",
    "egalitarian": "Egalitarian (max smallest gain)",
    "rubinstein": "Rubinstein (alternating offers)",
}

RUN_MAX_PARETO = 50
"""Frontier outcomes listed in the JSON of ``accord run`` (``accord analyse --json`` lists all)."""


def _fmt_outcome(outcome: dict[str, Any]) -> str:
    return "\n".join(
        f"{issue}: {value:g}" if isinstance(value, float) else f"{issue}: {value}"
        for issue, value in outcome.items()
    )


def _fmt_utilities(utilities: dict[str, float]) -> list[str]:
    return [f"{u:.3f}" for u in utilities.values()]


def _party_names(scenario: Scenario) -> list[str]:
    return [p.name for p in scenario.parties]


def summary_table(scenario: Scenario, d: dict[str, Any]) -> Table:
    table = Table(title=f"Bargaining analysis of {scenario.id}")
    table.add_column("")
    table.add_column("value", justify="right")
    n = d["outcomes"]
    table.add_row("outcomes (packages)", f"{n:,}")
    table.add_row("Pareto-efficient outcomes", f"{d['pareto_size']:,}")
    zone = d["zopa"]
    table.add_row("zone of possible agreement", f"{zone['size']:,} ({zone['fraction']:.1%})")
    table.add_row("efficient outcomes in the zone", f"{zone['pareto_size']:,}")
    for party, name in zip(d["parties"], _party_names(scenario), strict=True):
        best = d["best"][party]["utilities"][party]
        worst = d["worst"][party]["utilities"][party]
        table.add_row(
            f"{name}: reservation / best / worst",
            f"{d['reservations'][party]:.3f} / {best:.3f} / {worst:.3f}",
        )
    return table


def solutions_table(scenario: Scenario, d: dict[str, Any]) -> Table:
    table = Table(title="Bargaining solutions (within the zone of possible agreement)")
    table.add_column("solution")
    table.add_column("outcome")
    for name in _party_names(scenario):
        table.add_column(name, justify="right")
    for key, sol in d["solutions"].items():
        label = SOLUTION_LABELS.get(key, key)
        if sol is None:
            table.add_row(label, "none: the zone is empty", *["-"] * len(d["parties"]))
        else:
            table.add_row(label, _fmt_outcome(sol["outcome"]), *_fmt_utilities(sol["utilities"]))
    table.caption = (
        "ties go to a Pareto-efficient outcome, then to the most even gains, then to the first in "
        "issue order; a Rubinstein row appears for one numeric issue with both discount factors"
    )
    return table


def proposals_table(scenario: Scenario, d: dict[str, Any]) -> Table:
    table = Table(title="Named proposals")
    table.add_column("proposal")
    table.add_column("by")
    for name in _party_names(scenario):
        table.add_column(name, justify="right")
    table.add_column("in zone", justify="center")
    table.add_column("efficient", justify="center")
    for p in d["proposals"]:
        table.add_row(
            p["name"] or p["id"],
            p["by"] or "-",
            *_fmt_utilities(p["utilities"]),
            "[green]yes[/]" if p["in_zone"] else "[red]no[/]",
            "[green]yes[/]" if p["on_frontier"] else "[red]no[/]",
        )
    return table


def frontier_table(scenario: Scenario, d: dict[str, Any]) -> Table:
    table = Table(title="Pareto frontier (ordered by the first party's utility)")
    table.add_column("outcome")
    for name in _party_names(scenario):
        table.add_column(name, justify="right")
    table.add_column("in zone", justify="center")
    for row in d["pareto"]:
        table.add_row(
            _fmt_outcome(row["outcome"]),
            *_fmt_utilities(row["utilities"]),
            "yes" if row["in_zone"] else "-",
        )
    if d["pareto_size"] > len(d["pareto"]):
        table.caption = (
            f"{len(d['pareto'])} of {d['pareto_size']:,} efficient outcomes, evenly spaced; "
            "--json lists all"
        )
    return table


def _name(scenario: Scenario, party_id: str) -> str:
    return scenario.party(party_id).name


def findings(scenario: Scenario, d: dict[str, Any]) -> list[str]:
    """Two to four plain-language findings that follow from the numbers in ``d``."""
    out = []
    zone = d["zopa"]
    if zone["size"] == 0:
        out.append(
            "No package gives every party at least its reservation value: at these numbers each "
            "package leaves someone better off with no agreement."
        )
    else:
        out.append(
            f"{zone['size']:,} of {d['outcomes']:,} packages ({zone['fraction']:.1%}) give every "
            f"party at least its reservation value; {zone['pareto_size']:,} of them are efficient."
        )
        nash = d["solutions"]["nash"]
        agree = [
            SOLUTION_LABELS[k].split(" (")[0]
            for k in ("kalai_smorodinsky", "utilitarian", "egalitarian")
            if d["solutions"][k] is not None and d["solutions"][k]["index"] == nash["index"]
        ]
        gains = ", ".join(
            f"{_name(scenario, p)} {u:.2f} (reservation {d['reservations'][p]:.2f})"
            for p, u in nash["utilities"].items()
        )
        same = f"; {', '.join(agree)} agree" if agree else ""
        outcome = ", ".join(f"{k}: {v}" for k, v in nash["outcome"].items())
        out.append(f"The Nash solution is {outcome} — {gains}{same}.")
    for p in d["proposals"][:2]:
        label = p["name"] or p["id"]
        if p["shortfalls"]:
            short = ", ".join(
                f"{_name(scenario, q)} by {gap:.3f}" for q, gap in p["shortfalls"].items()
            )
            text = f"'{label}' falls short of the reservation value of {short}"
        else:
            text = f"'{label}' is acceptable to every party"
        better = p["better_for_all"]
        if better is not None:
            gain = ", ".join(
                f"{_name(scenario, q)} +{better['utilities'][q] - p['utilities'][q]:.3f}"
                for q in d["parties"]
            )
            text += f", and is not efficient: another package gives {gain}"
        else:
            text += ", and no package is better for every party"
        out.append(text + ".")
    return out[:4]


def _print_tables(scenario: Scenario, d: dict[str, Any], out: Console, frontier_rows: int) -> None:
    out.print(summary_table(scenario, d))
    out.print(solutions_table(scenario, d))
    if d["proposals"]:
        out.print(proposals_table(scenario, d))
    if frontier_rows > 0 and d["pareto"]:
        out.print(frontier_table(scenario, d))


def _analyse(scenario: Scenario, max_outcomes: int) -> AnalysisResult:
    from accord.bargaining import analyse

    return analyse(scenario, max_outcomes=max_outcomes)


def run_section(scenario: Any, console: Console) -> dict[str, Any] | None:
    """The bargaining part of ``accord run``; None when issues or preferences are missing."""
    from accord.bargaining import DEFAULT_MAX_OUTCOMES, space_size

    if not getattr(scenario, "issues", None) or not getattr(scenario, "preferences", None):
        return None
    if space_size(scenario) > DEFAULT_MAX_OUTCOMES:
        note = (
            f"bargaining analysis skipped: {space_size(scenario):,} outcomes is more than "
            f"{DEFAULT_MAX_OUTCOMES:,}; run 'accord analyse --max-outcomes N' to force it"
        )
        console.print(note)
        return {"skipped": note}
    result = _analyse(scenario, DEFAULT_MAX_OUTCOMES)
    d = result.to_dict(max_pareto=RUN_MAX_PARETO)
    console.rule("[bold]Bargaining analysis[/]")
    shown = result.to_dict(max_pareto=8)
    _print_tables(scenario, shown, console, frontier_rows=8)
    lines = findings(scenario, d)
    for line in lines:
        console.print(f"• {line}")
    return {**d, "findings": lines}


def register(app: typer.Typer) -> None:
    @app.command("analyse")
    @guarded
    def analyse_cmd(
        scenario: str = typer.Argument(..., help="Scenario file or built-in id."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        max_outcomes: int = typer.Option(
            50_000_000, "--max-outcomes", help="Refuse outcome spaces larger than this."
        ),
        max_pareto: int = typer.Option(
            None,
            "--max-pareto",
            help="List at most this many frontier outcomes (evenly spaced); default: all in "
            "--json, 15 in tables.",
        ),
    ) -> None:
        """Pareto frontier, zone of agreement, bargaining solutions and where proposals sit."""
        if max_pareto is not None and max_pareto < 0:
            raise EngineInputError(f"--max-pareto must be 0 or more, got {max_pareto}")
        loaded = load_scenario_arg(scenario)
        result = _analyse(loaded, max_outcomes)
        if as_json:
            print_json(result.to_dict(max_pareto=max_pareto))
            return
        rows = 15 if max_pareto is None else max_pareto
        d = result.to_dict(max_pareto=rows)
        _print_tables(loaded, d, default_console, frontier_rows=rows)
        for line in findings(loaded, d):
            default_console.print(f"• {line}")
