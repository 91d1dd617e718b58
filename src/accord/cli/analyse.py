"""``accord analyse``: bargaining analysis of a scenario (frontier, zone, solutions, proposals).

The command prints Rich tables (or one JSON object with ``--json``); :func:`render_run` prints the
bargaining part of ``accord run``. Parsing and printing only: the numbers come from
:func:`accord.bargaining.analyse`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from accord.cli.common import (
    DEFAULT_LIST_LIMIT,
    LIMIT_HELP,
    engine_payload,
    guarded,
    list_limit,
    load_scenario_arg,
    print_engine_result,
)
from accord.cli.common import console as default_console
from accord.cli.render import FoldTable as Table
from accord.cli.render import yes_no
from accord.errors import EngineInputError

if TYPE_CHECKING:
    from accord.scenario.model import Scenario

SOLUTION_LABELS = {
    "nash": "Nash (max product of gains)",
    "kalai_smorodinsky": "Kalai–Smorodinsky (equal share of best gain)",
    "utilitarian": "Utilitarian (max total utility)",
    "egalitarian": "Egalitarian (max smallest gain)",
    "rubinstein": "Rubinstein (alternating offers)",
}

RUN_MAX_PARETO = 8
"""Frontier outcomes listed by ``accord run`` (``accord analyse --json`` lists up to
``--limit``, default :data:`accord.cli.common.DEFAULT_LIST_LIMIT`, 0 for all)."""


def _fmt_outcome(outcome: dict[str, Any]) -> str:
    return "\n".join(
        f"{issue}: {value:g}" if isinstance(value, float) else f"{issue}: {value}"
        for issue, value in outcome.items()
    )


def _fmt_utilities(utilities: dict[str, float]) -> list[str]:
    return [f"{u:.3f}" for u in utilities.values()]


def _party_names(scenario: Scenario) -> list[str]:
    return [scenario.party(pid).name for pid in scenario.party_ids]


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
            yes_no(p["in_zone"]),
            yes_no(p["on_frontier"]),
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
            "--json lists up to --limit (0: all)"
        )
    return table


def _print_tables(scenario: Scenario, d: dict[str, Any], out: Console, frontier_rows: int) -> None:
    out.print(summary_table(scenario, d))
    out.print(solutions_table(scenario, d))
    if d["proposals"]:
        out.print(proposals_table(scenario, d))
    if frontier_rows > 0 and d["pareto"]:
        out.print(frontier_table(scenario, d))


def render_run(er: Any, console: Console) -> None:
    """The bargaining section of ``accord run``, from the one computed result."""
    from accord.cli.render import bullets, rule

    rule(console, er.title)
    scenario = er.result.scenario
    d = er.result.to_dict(max_pareto=RUN_MAX_PARETO)
    _print_tables(scenario, d, console, frontier_rows=RUN_MAX_PARETO)
    bullets(console, er.findings)


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
            help="List at most this many frontier outcomes (evenly spaced); default: --limit in "
            "--json, 15 in tables.",
        ),
        limit: int = typer.Option(DEFAULT_LIST_LIMIT, "--limit", help=LIMIT_HELP),
    ) -> None:
        """Pareto frontier, zone of agreement, bargaining solutions and where proposals sit."""
        if max_pareto is not None and max_pareto < 0:
            raise EngineInputError(f"--max-pareto must be 0 or more, got {max_pareto}")
        from accord.app.run import run_engine
        from accord.cli.render import bullets

        cap = list_limit(limit)
        loaded = load_scenario_arg(scenario)
        er = run_engine("analyse", loaded, {"max_outcomes": max_outcomes})
        if as_json:
            listed = max_pareto if max_pareto is not None else cap
            print_engine_result(er, loaded, engine_payload(er, er.result.to_dict(listed)))
            return
        rows = 15 if max_pareto is None else max_pareto
        d = er.result.to_dict(max_pareto=rows)
        _print_tables(loaded, d, default_console, frontier_rows=rows)
        bullets(default_console, er.findings)
