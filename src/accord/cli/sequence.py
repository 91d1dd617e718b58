"""``accord sequence``: self-enforcing schedules of reciprocal steps (``sequencing:`` section)."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from accord.cli.common import console as default_console
from accord.cli.common import (
    guarded,
    load_scenario_arg,
    print_engine_result,
    progress_bar,
    show_progress,
)
from accord.cli.render import FoldTable as Table
from accord.errors import EngineInputError

LEVER_LABELS = {
    "trust": "trust",
    "completion_value": "completion value",
    "first_move_cost": "cost of moving first",
    "reversibility": "reversibility",
}


def _names(scenario: Any) -> dict[str, str]:
    names = {p.id: p.name for p in getattr(scenario, "parties", ())}
    section = scenario.sequencing
    for pid, party in section.parties.items():
        names.setdefault(pid, party.name or pid)
    return names


def _schedule_table(analysis: Any, names: dict[str, str]) -> Table:
    # Steps as rows and rounds as columns: schedules have few rounds and many steps, so this
    # stays readable in an 80-column terminal.
    sched = analysis.schedule
    table = Table(
        title=f"Self-enforcing schedule over {sched.rounds} "
        f"round{'' if sched.rounds == 1 else 's'}: share done"
    )
    table.add_column("step")
    table.add_column("by")
    for t in range(sched.rounds):
        table.add_column(f"round {t + 1}", justify="right")
    for k, (sid, owner) in enumerate(zip(sched.step_ids, sched.step_owner, strict=True)):
        cells = [sid, names.get(owner, owner)]
        for t in range(sched.rounds):
            share = float(sched.shares[k, t])
            cells.append(f"{share:.0%}" if share > 1e-9 else "-")
        table.add_row(*cells)
    movers = sched.first_mover_per_round()
    if any(movers):
        table.add_row(
            Text("moves first", style="italic"), "", *[names.get(m or "", m or "") for m in movers]
        )
    trust = sched.trust_path()
    for pid, row in trust.items():
        table.add_row(
            Text("trust at start", style="italic"),
            names.get(pid, pid),
            *[f"{x:.2f}" for x in row[: sched.rounds]],
            style="dim",
        )
    for i, pid in enumerate(sched.party_ids):
        table.add_row(
            Text("slack", style="italic"),
            names.get(pid, pid),
            *[f"{float(sched.slack[i, t]):.3f}" for t in range(sched.rounds)],
            style="dim",
        )
    table.caption = (
        "slack: how much the party's cost that round could grow before stopping pays (>= 0 means "
        "no gain from stopping)"
    )
    return table


def _violation_table(analysis: Any, names: dict[str, str]) -> Table:
    sched = analysis.schedule
    table = Table(title="No schedule: smallest total shortfall of the incentive constraints")
    table.add_column("party")
    table.add_column("rounds with a shortfall (round: amount)")
    for i, pid in enumerate(sched.party_ids):
        row = sched.violation[i]
        cells = [f"{t + 1}: {row[t]:.3g}" for t in range(len(row)) if row[t] > 1e-9]
        more = " ..." if len(cells) > 8 else ""
        table.add_row(names.get(pid, pid), ", ".join(cells[:8]) + more)
    return table


def _thresholds_table(analysis: Any, names: dict[str, str]) -> Table:
    feasible = analysis.schedule.feasible
    table = Table(
        title="What would make a schedule exist (one lever at a time, whole range scanned)"
        if not feasible
        else "How far each lever can move before the schedule breaks (one at a time)"
    )
    for col in ("party", "lever", "step", "now", "smallest that works", "range that works"):
        table.add_column(col)
    for th in analysis.thresholds:
        needed = "none in range" if th.needed is None else f"{th.needed:.3g}"
        if th.feasible_from is not None:
            span = f"[{th.feasible_from:.3g}, {th.feasible_to:.3g}]"
        else:
            span = "-"
        if th.non_monotone:
            span += " (not monotone)"
        table.add_row(
            names.get(th.party, th.party),
            LEVER_LABELS[th.lever],
            th.step or "-",
            f"{th.current:.3g}",
            needed,
            span,
        )
    table.caption = "searched: trust and reversibility over [0, 1]; others over [0, upper bound]"
    return table


def _print(er: Any, out: Console) -> None:
    from accord.cli.render import bullets

    analysis, names = er.result.analysis, er.result.names
    if er.result.given:
        out.print(
            "Already given before round 1: "
            + ", ".join(f"{g.step_id} ({names.get(g.owner, g.owner)})" for g in er.result.given)
        )
    if analysis.schedule.feasible:
        out.print(_schedule_table(analysis, names))
    else:
        out.print(_violation_table(analysis, names))
    if analysis.thresholds:
        out.print(_thresholds_table(analysis, names))
    bullets(out, er.findings)


def render_run(er: Any, console: Console) -> None:
    """The sequencing section of ``accord run``, from the one computed result."""
    from accord.cli.render import rule

    rule(console, er.title)
    _print(er, console)


def register(app: typer.Typer) -> None:
    @app.command("sequence")
    @guarded
    def sequence(
        scenario: str = typer.Argument(..., help="Scenario file or built-in id."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        no_thresholds: bool = typer.Option(
            False, "--no-thresholds", help="Skip the search for what would make it feasible."
        ),
        progress: bool = typer.Option(
            False, "--progress", help="Show a progress bar on stderr (shown anyway on a terminal)."
        ),
    ) -> None:
        """Is there a self-enforcing order and pace of reciprocal steps? If not, who blocks?"""
        from accord.app.run import run_engine

        loaded = load_scenario_arg(scenario)
        if getattr(loaded, "sequencing", None) is None:
            raise EngineInputError(
                f"scenario '{loaded.id}' has no 'sequencing:' section; add parties (patience, "
                "trust, completion_value, detection), steps (owner, cost, value) and max_rounds"
            )
        with progress_bar("sequencing", show_progress(progress)):
            er = run_engine("sequence", loaded, {"thresholds": not no_thresholds})
        if as_json:
            print_engine_result(er, loaded)
            return
        _print(er, default_console)
