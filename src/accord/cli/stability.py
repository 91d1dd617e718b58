"""``accord stability``: Graph Model stability analysis of a scenario's ``conflict:`` section."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_json
from accord.errors import EngineInputError

CONCEPT_LABELS = {
    "nash": "Nash",
    "gmr": "GMR",
    "smr": "SMR",
    "seq": "SEQ",
    "sim": "SIM",
    "seqsim": "SEQ+SIM",
}


def _analyse(scenario: Any, coalition: tuple[str, ...] | None) -> Any:
    from accord.conflict import analyse, model_from_section

    section = getattr(scenario, "conflict", None)
    if section is None:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no 'conflict:' section; add decision makers, options "
            "and preferences to analyse stability"
        )
    return analyse(model_from_section(section), coalition=coalition)


def _states_table(result: Any, max_rows: int = 40, *, equilibria_only: bool = False) -> Table:
    model = result.model
    title = "States (Y = option taken) and stability per decision maker"
    rows: list[int] = list(range(model.n_states))
    if equilibria_only:
        title = "Equilibria (Y = option taken): states stable for every decision maker"
        eq = {s for states in result.equilibria.values() for s in states}
        rows = [s for s in rows if s + 1 in eq]
    table = Table(title=title)
    table.add_column("state", justify="right")
    for o in model.option_ids:
        table.add_column(o, justify="center")
    if not equilibria_only:  # an equilibrium is stable for every decision maker by definition
        for dm in model.dm_ids:
            table.add_column(dm)
    table.add_column("equilibrium under")
    concepts = list(result.stable)
    for s in rows[:max_rows]:
        row = [str(s + 1), *model.yn(s)]
        for d in range(model.n_dms if not equilibria_only else 0):
            row.append(
                " ".join(CONCEPT_LABELS[c] for c in concepts if result.stable[c][d, s]) or "-"
            )
        row.append(" ".join(CONCEPT_LABELS[c] for c in concepts if s + 1 in result.equilibria[c]))
        table.add_row(*row)
    if len(rows) > max_rows:
        table.caption = f"first {max_rows} of {len(rows)} states; --json lists all"
    return table


def _describe(model: Any, number: int) -> str:
    taken = [o for o, v in model.state_options(number - 1).items() if v]
    return f"state {number} ({', '.join(taken) if taken else 'no option taken'})"


def findings(result: Any) -> list[str]:
    """Plain-language findings that follow from the numbers."""
    model = result.model
    out = []
    for concept in ("nash", "seq", "gmr"):
        eq = result.equilibria.get(concept, [])
        label = CONCEPT_LABELS[concept]
        if not eq:
            out.append(f"No state is a {label} equilibrium: someone always has a reason to move.")
        else:
            out.append(
                f"{label} equilibria: "
                + "; ".join(_describe(model, s) for s in eq[:4])
                + ("; ..." if len(eq) > 4 else "")
            )
    if model.status_quo is not None:
        sq = model.status_quo + 1
        unstable = [
            model.dm_ids[d] for d in range(model.n_dms) if not result.stable["nash"][d, sq - 1]
        ]
        if unstable:
            out.append(
                f"The status quo, {_describe(model, sq)}, is not Nash stable: "
                f"{', '.join(unstable)} can improve by moving unilaterally."
            )
        else:
            out.append(f"The status quo, {_describe(model, sq)}, is Nash stable for everyone.")
        for path in result.status_quo_paths:
            if path.states and len(path.states) > 1:
                steps = " → ".join(
                    f"{mover} moves to {s}"
                    for mover, s in zip(path.movers, path.states[1:], strict=True)
                )
                out.append(f"From the status quo, {steps} reaches equilibrium {path.target}.")
    if result.coalition is not None:
        co = result.coalition
        broken = [
            s for s in result.equilibria.get("nash", []) if s not in co.equilibria.get("nash", [])
        ]
        for s in broken:
            out.append(
                f"Equilibrium {s} is not coalition stable: {' and '.join(co.members)} together "
                f"can move to {', '.join(map(str, co.improvements.get(s, [])))}, which all prefer."
            )
    return out


def what_would_change(result: Any) -> list[dict[str, Any]]:
    """For each Nash equilibrium: the best unilateral deviation each decision maker forgoes."""
    from accord.conflict.stability import all_moves

    model = result.model
    mv = all_moves(model)
    out = []
    for s in result.equilibria.get("nash", []):
        for d, dm in enumerate(model.dm_ids):
            e = mv.moves[d]
            targets = e.dst[e.start[s - 1] : e.start[s]]
            if targets.size == 0:
                continue
            p = model.payoff[d]
            best = int(targets[p[targets].argmax()])
            out.append(
                {
                    "equilibrium": s,
                    "decision_maker": dm,
                    "best_deviation": best + 1,
                    "payoff_loss": int(p[s - 1] - p[best]),
                }
            )
    return out


def run_section(scenario: Any, console: Console) -> dict[str, Any] | None:
    """The conflict part of ``accord run``: stable states and what would change them."""
    if getattr(scenario, "conflict", None) is None:
        return None
    console.rule("[bold]Conflict analysis (graph model)[/]")
    result = _analyse(scenario, None)
    console.print(_states_table(result, max_rows=20, equilibria_only=True))
    changes = what_would_change(result)
    if changes:
        table = Table(title="What would break each Nash equilibrium (smallest preference shift)")
        for col in ("equilibrium", "decision maker", "best deviation", "payoff gap"):
            table.add_column(col)
        for c in changes:
            table.add_row(
                str(c["equilibrium"]),
                c["decision_maker"],
                str(c["best_deviation"]),
                str(c["payoff_loss"]),
            )
        table.caption = (
            "a decision maker would leave the equilibrium if it came to prefer its best "
            "deviation, i.e. if the payoff gap closed"
        )
        console.print(table)
    lines = findings(result)
    for line in lines:
        console.print(f"• {line}")
    data = result.to_dict()
    return {
        "equilibria": data["equilibria"],
        "status_quo": data["status_quo"],
        "status_quo_paths": data["status_quo_paths"],
        "what_would_change": changes,
        "findings": lines,
    }


def register(app: typer.Typer) -> None:
    @app.command("stability")
    @guarded
    def stability(
        scenario: str = typer.Argument(..., help="Scenario file or built-in id."),
        coalition: str = typer.Option(
            None, "--coalition", help="Decision makers acting together, joined by '+'."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Stable states of the scenario's graph model (Nash, GMR, SMR, SEQ, SIM, SEQ+SIM)."""
        loaded = load_scenario_arg(scenario)
        members = tuple(p for p in coalition.split("+") if p) if coalition else None
        result = _analyse(loaded, members)
        if as_json:
            print_json(result.to_dict())
            return
        out = default_console
        out.print(_states_table(result))
        if result.skipped:
            for concept, reason in result.skipped.items():
                out.print(f"{CONCEPT_LABELS[concept]}: {reason}")
        if result.coalition is not None:
            co = result.coalition
            out.print(
                f"Coalition {'+'.join(co.members)}: coalition-stable equilibria "
                + ", ".join(f"{CONCEPT_LABELS[c]} {v}" for c, v in co.equilibria.items())
            )
        for line in findings(result):
            out.print(f"• {line}")
