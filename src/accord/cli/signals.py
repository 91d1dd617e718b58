"""``accord signals``: signalling games — equilibria, beliefs and credibility (``signals:``)."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_engine_result
from accord.cli.render import FoldTable as Table


def _payoff_table(analysis: Any) -> Table:
    g = analysis.game
    name = analysis.names.get
    table = Table(
        title=f"{g.title or g.id}: payoffs "
        f"({name(g.sender, g.sender)}, {name(g.receiver, g.receiver)})"
    )
    table.add_column("type (prior)")
    table.add_column("message")
    for a in g.actions:
        table.add_column(g.label(a), justify="right")
    for t, tid in enumerate(g.types):
        for m, mid in enumerate(g.messages):
            cells = [f"{g.us[t, m, a]:.3g}, {g.ur[t, m, a]:.3g}" for a in range(len(g.actions))]
            first = f"{g.label(tid)} ({g.prior[t]:.3g})" if m == 0 else ""
            table.add_row(first, g.label(mid), *cells)
    return table


def _equilibria_table(analysis: Any) -> Table:
    g, sol = analysis.game, analysis.solution
    table = Table(
        title=f"{sol.count} pure-strategy perfect Bayesian "
        f"equilibri{'um' if sol.count == 1 else 'a'}"
    )
    for col in ("kind", "sender", "receiver", "beliefs after each message", "intuitive"):
        table.add_column(col)
    for e in sol.equilibria:
        beliefs = []
        for m in range(len(g.messages)):
            if m in e.posteriors:
                post = ", ".join(
                    f"{g.label(t)} {p:.3g}" for t, p in zip(g.types, e.posteriors[m], strict=True)
                )
                beliefs.append(f"{g.label(g.messages[m])}: {post}")
            elif m in e.off_path:
                r = e.off_path[m]
                rng = ", ".join(
                    f"{g.label(t)} {lo:.3g}-{hi:.3g}"
                    for t, lo, hi in zip(g.types, r.lo, r.hi, strict=True)
                )
                beliefs.append(f"{g.label(g.messages[m])} (off path): {rng}")
        table.add_row(
            e.kind,
            ", ".join(
                f"{g.label(t)}→{g.label(g.messages[m])}"
                for t, m in zip(g.types, e.sender, strict=True)
            ),
            ", ".join(
                f"{g.label(g.messages[m])}→{g.label(g.actions[a])}"
                for m, a in enumerate(e.receiver)
            ),
            "; ".join(beliefs),
            "yes" if e.intuitive else "no",
        )
    if sol.truncated:
        table.caption = f"showing {len(sol.equilibria)} of {sol.count}"
    return table


def _print(analysis: Any, findings: list[Any], out: Console) -> None:
    from accord.cli.render import bullets

    out.print(_payoff_table(analysis))
    if analysis.solution.count:
        out.print(_equilibria_table(analysis))
    bullets(out, findings)


def _by_game(er: Any) -> list[tuple[Any, list[Any]]]:
    """Each game's analysis with the registry's findings about it (in the engine's order)."""
    from accord.signals import findings as game_findings

    out = []
    rest = list(er.findings)
    for analysis in er.result.analyses:
        n = len(game_findings(analysis))
        out.append((analysis, rest[:n]))
        rest = rest[n:]
    return out


def render_run(er: Any, console: Console) -> None:
    """The signals section of ``accord run``, from the one computed result."""
    from accord.cli.render import rule

    rule(console, er.title)
    for analysis, found in _by_game(er):
        _print(analysis, found, console)


def register(app: typer.Typer) -> None:
    @app.command("signals")
    @guarded
    def signals(
        scenario: str = typer.Argument(..., help="Scenario file or built-in id."),
        game: str | None = typer.Option(None, "--game", help="Only this game (its id)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """What does each signal reveal? Every pure equilibrium, its beliefs, and what it takes."""
        from accord.app.run import run_engine

        loaded = load_scenario_arg(scenario)
        er = run_engine("signals", loaded, {"game": game})
        if as_json:
            print_engine_result(er, loaded)
            return
        for analysis, found in _by_game(er):
            _print(analysis, found, default_console)
