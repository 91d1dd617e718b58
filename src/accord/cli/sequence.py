"""``accord sequence``: self-enforcing schedules of reciprocal steps (``sequencing:`` section)."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_json
from accord.errors import EngineInputError

LEVER_LABELS = {
    "trust": "trust",
    "completion_value": "completion value",
    "reversibility": "reversibility of its steps",
}


def _analyse(scenario: Any, with_thresholds: bool = True) -> tuple[Any, Any]:
    from accord.sequencing import analyse, problem_from_section

    section = getattr(scenario, "sequencing", None)
    if section is None:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no 'sequencing:' section; add parties (patience, "
            "trust, completion_value, detection), steps (owner, cost, value) and max_rounds"
        )
    problem, given = problem_from_section(section)
    return analyse(problem, with_thresholds=with_thresholds), given


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
    table = Table(title=f"Self-enforcing schedule over {sched.rounds} round(s): share done")
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
    for i, pid in enumerate(sched.party_ids):
        table.add_row(
            "[italic]slack[/]",
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
    table = Table(title="What would make a schedule exist (one lever at a time)")
    for col in ("party", "lever", "now", "needed", "met"):
        table.add_column(col)
    for th in analysis.thresholds:
        needed = "none suffices" if th.needed is None else f"{th.needed:.3g}"
        table.add_row(
            names.get(th.party, th.party),
            LEVER_LABELS[th.lever],
            f"{th.current:.3g}",
            needed,
            "yes" if th.met else "no",
        )
    return table


def findings(analysis: Any, names: dict[str, str]) -> list[str]:
    """Two to four plain-language findings that follow from the numbers."""
    sched = analysis.schedule
    out: list[str] = []
    name = names.get
    if sched.feasible:
        i, t = divmod(int(sched.slack.argmin()), sched.slack.shape[1])
        pid = sched.party_ids[i]
        out.append(
            f"A self-enforcing schedule exists: {sched.rounds} round(s), and neither side ever "
            f"gains by stopping; the tightest point is {name(pid, pid)} in round {t + 1} "
            f"(slack {float(sched.slack[i, t]):.3g})."
        )
        movers = sched.first_movers()
        if len(movers) == 1:
            out.append(f"{name(movers[0], movers[0])} moves first in this schedule.")
        elif movers:
            out.append("Both sides start in the same round.")
    else:
        b = sched.blocking
        alone = [name(p, p) for p, v in sched.blocks_alone.items() if v]
        out.append(
            f"No self-enforcing schedule exists within {sched.max_rounds} rounds at the stated "
            f"trust: {name(b.party, b.party)}'s incentive constraint falls shortest, most in "
            f"round {b.round}."
            + (
                f" {' and '.join(alone)} would stop even if the other side followed any plan."
                if alone
                else ""
            )
        )
    if analysis.thresholds and not sched.feasible:
        fixes = [
            f"{name(th.party, th.party)}'s {LEVER_LABELS[th.lever]} at {th.needed:.3g} "
            f"(now {th.current:.3g})"
            for th in analysis.thresholds
            if th.needed is not None
        ]
        if fixes:
            out.append("It would take, one lever at a time: " + "; or ".join(fixes) + ".")
        else:
            out.append("No single lever (trust, completion value, reversibility) suffices alone.")
    elif analysis.thresholds:
        slack = [
            f"{name(th.party, th.party)}'s trust could fall to {th.needed:.3g} (now "
            f"{th.current:.3g})"
            for th in analysis.thresholds
            if th.lever == "trust" and th.needed is not None
        ]
        if slack:
            out.append("The schedule survives while " + " and ".join(slack) + ".")
    opens = {o.party: o.max_share for o in analysis.openings}
    parts = []
    for pid, share in opens.items():
        if share is None or share <= 1e-9:
            parts.append(f"{name(pid, pid)} cannot open alone")
        else:
            parts.append(f"{name(pid, pid)} could open alone with up to {share:.0%} of its costs")
    if parts:
        out.append("Who moves first: " + "; ".join(parts) + ".")
    return out[:4]


def _print(analysis: Any, names: dict[str, str], out: Console) -> list[str]:
    if analysis.schedule.feasible:
        out.print(_schedule_table(analysis, names))
    else:
        out.print(_violation_table(analysis, names))
    if analysis.thresholds:
        out.print(_thresholds_table(analysis, names))
    lines = findings(analysis, names)
    for line in lines:
        out.print(f"• {line}")
    return lines


def run_section(scenario: Any, console: Console) -> dict[str, Any] | None:
    """The sequencing part of ``accord run``: schedule or blocker, and what it would take."""
    if getattr(scenario, "sequencing", None) is None:
        return None
    console.rule("[bold]Sequencing under mistrust[/]")
    analysis, _given = _analyse(scenario)
    lines = _print(analysis, _names(scenario), console)
    data = analysis.to_dict()
    return {
        "feasible": data["feasible"],
        "rounds": data["rounds"],
        "blocking": data["blocking"],
        "thresholds": data["thresholds"],
        "openings": data["openings"],
        "findings": lines,
    }


def register(app: typer.Typer) -> None:
    @app.command("sequence")
    @guarded
    def sequence(
        scenario: str = typer.Argument(..., help="Scenario file or built-in id."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        no_thresholds: bool = typer.Option(
            False, "--no-thresholds", help="Skip the search for what would make it feasible."
        ),
    ) -> None:
        """Is there a self-enforcing order and pace of reciprocal steps? If not, who blocks?"""
        loaded = load_scenario_arg(scenario)
        analysis, given = _analyse(loaded, with_thresholds=not no_thresholds)
        if as_json:
            data = analysis.to_dict()
            data["given"] = [
                {"step": g.step_id, "owner": g.owner, "value": g.value, "reversible": g.reversible}
                for g in given
            ]
            print_json(data)
            return
        names = _names(loaded)
        if given:
            default_console.print(
                "Already given before round 1: "
                + ", ".join(f"{g.step_id} ({names.get(g.owner, g.owner)})" for g in given)
            )
        _print(analysis, names, default_console)
