"""``accord stability``: Graph Model stability analysis of a scenario's ``conflict:`` section.

Rendering only: the numbers and the findings come from the registered ``stability`` engine
(:mod:`accord.app.engines.stability`), so this command, ``accord run``, the report and the web app
say the same thing. ``--json`` prints the engine's result: the keys of the analysis
(:meth:`accord.conflict.stability.StabilityResult.to_dict`) plus ``what_would_change`` and
``hypergame``.
"""

from __future__ import annotations

from typing import Any

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
    progress_bar,
    show_progress,
)
from accord.cli.common import console as default_console
from accord.cli.render import FoldTable as Table
from accord.errors import EngineInputError


def _labels() -> dict[str, str]:
    # Imported when printing, so that 'accord --help' does not load the engine.
    from accord.conflict.stability import CONCEPT_LABELS

    return CONCEPT_LABELS


def describe_state(model: Any, number: int) -> str:
    from accord.conflict.changes import describe_state as describe

    return describe(model, number)


def _engine(scenario: Any, coalition: tuple[str, ...] | None = None) -> Any:
    from accord.app.run import run_engine

    if getattr(scenario, "conflict", None) is None:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no 'conflict:' section; add decision makers, options "
            "and preferences to analyse stability"
        )
    return run_engine("stability", scenario, {"coalition": coalition})


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
            row.append(" ".join(_labels()[c] for c in concepts if result.stable[c][d, s]) or "-")
        row.append(" ".join(_labels()[c] for c in concepts if s + 1 in result.equilibria[c]))
        table.add_row(*row)
    caption = "SIM: opponents answer at once with improvements (GMCR); SIM-any: with any move"
    if len(rows) > max_rows:
        caption = (
            f"first {max_rows} of {len(rows)} states; --json lists up to --limit (0: all). "
            + caption
        )
    table.caption = caption
    return table


def _changes_table(changes: list[dict[str, Any]]) -> Table:
    table = Table(title="What would break each Nash equilibrium (smallest preference shift)")
    for col in ("equilibrium", "decision maker", "best deviation", "payoff gap"):
        table.add_column(col)
    for c in changes:
        table.add_row(
            c.get("equilibrium_state", str(c["equilibrium"])),
            c["decision_maker"],
            c.get("deviation_state", str(c["best_deviation"])),
            str(c["payoff_loss"]),
        )
    table.caption = (
        "a decision maker would leave the equilibrium if it came to prefer its best "
        "deviation, i.e. if the payoff gap closed"
    )
    return table


def _hypergame_table(h: Any, concepts: tuple[str, ...] = ("nash", "seq")) -> Table:
    """Equilibria of each perceived game, the joint outcome and the true game."""
    model = h.model
    table = Table(title="First-level hypergame: the game each side believes it is playing")
    table.add_column("game")
    for c in concepts:
        table.add_column(f"{_labels()[c]} equilibria")
    wrong = {holder for holder, _ in h.misperceptions}
    for holder, res in h.perceived.items():
        label = f"as {holder} sees it" + (" (misperceives)" if holder in wrong else "")
        table.add_row(label, *(", ".join(map(str, res.equilibria.get(c, []))) for c in concepts))
    table.add_row(
        "joint outcome", *(", ".join(map(str, h.equilibria.get(c, []))) for c in concepts)
    )
    table.add_row(
        "true game", *(", ".join(map(str, h.ordinary.equilibria.get(c, []))) for c in concepts)
    )
    shown = sorted({s for c in concepts for res in h.perceived.values() for s in res.equilibria[c]})
    table.caption = "; ".join(describe_state(model, s) for s in shown)
    return table


def render_run(er: Any, console: Console) -> None:
    """The conflict section of ``accord run``, from the one computed result."""
    from accord.cli.render import bullets, rule

    rule(console, er.title)
    stab = er.result
    console.print(_states_table(stab.result, max_rows=20, equilibria_only=True))
    if stab.changes:
        console.print(_changes_table(list(stab.changes)))
    if stab.hypergame is not None:
        console.print(_hypergame_table(stab.hypergame))
    bullets(console, er.findings)


def register(app: typer.Typer) -> None:
    @app.command("stability")
    @guarded
    def stability(
        scenario: str = typer.Argument(..., help="Scenario file or built-in id."),
        coalition: str = typer.Option(
            None, "--coalition", help="Decision makers acting together, joined by '+'."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        limit: int = typer.Option(DEFAULT_LIST_LIMIT, "--limit", help=LIMIT_HELP),
        progress: bool = typer.Option(
            False, "--progress", help="Show a progress bar on stderr (shown anyway on a terminal)."
        ),
    ) -> None:
        """Stable states of the scenario's graph model (Nash, GMR, SMR, SEQ, SIM, SIM-any),
        coalitions in both readings, and the hypergame of any ``perceptions:``."""
        from accord.cli.render import bullets

        cap = list_limit(limit)
        loaded = load_scenario_arg(scenario)
        members = tuple(p for p in coalition.split("+") if p) if coalition else None
        with progress_bar("stability", show_progress(progress)):
            er = _engine(loaded, members)
        stab = er.result
        if as_json:
            raw = {
                **stab.result.to_dict(limit=cap),
                "what_would_change": list(stab.changes),
                "hypergame": None if stab.hypergame is None else stab.hypergame.to_dict(cap),
            }
            print_engine_result(er, loaded, engine_payload(er, raw))
            return
        out = default_console
        result = stab.result
        out.print(_states_table(result))
        for concept, reason in result.skipped.items():
            out.print(f"{_labels()[concept]}: {reason}")
        if result.coalition is not None:
            co = result.coalition
            out.print(
                f"Coalition {'+'.join(co.members)}, coalition-stable individual equilibria: "
                + ", ".join(f"{_labels()[c]} {v}" for c, v in co.equilibria.items())
            )
        if result.coalition_joint is not None:
            joint = result.coalition_joint
            out.print(
                f"Coalition {'+'.join(joint.members)} as one decision maker: equilibria "
                + ", ".join(f"{_labels()[c]} {v}" for c, v in joint.equilibria.items())
            )
        if stab.hypergame is not None:
            out.print(_hypergame_table(stab.hypergame))
        bullets(out, er.findings)
