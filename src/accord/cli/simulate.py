"""``accord simulate``: alternating-offers negotiations between strategy agents (issue 3).

Examples::

    accord simulate hanoi-2019 --strategy usa=boulware:e=0.2 --strategy dprk=hardliner \\
        --rounds 100 --runs 10000 --seed 1
    accord simulate hanoi-2019 --runs 1            # the offer trace of one negotiation
    accord simulate hanoi-2019 --tournament        # every registered strategy pair
    accord simulate --list-strategies
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_json
from accord.errors import EngineInputError

PROGRESS_THRESHOLD = 20_000  # negotiations; below this a bar only flickers

MAX_RUNS = 10_000_000


def _progress(enabled: bool) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not enabled,
        transient=True,
        console=Console(stderr=True),
    )


def _fmt_outcome(outcome: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in outcome.items())


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def simulate(
        scenario: Annotated[
            str | None, typer.Argument(help="Path or built-in id (e.g. hanoi-2019).")
        ] = None,
        strategy: Annotated[
            list[str] | None,
            typer.Option(
                "--strategy",
                "-s",
                help="PARTY=NAME[:key=value,...], e.g. usa=boulware:e=0.2 (repeat per party).",
            ),
        ] = None,
        rounds: Annotated[
            int | None, typer.Option("--rounds", help="Deadline in rounds (default: scenario's).")
        ] = None,
        runs: Annotated[
            int | None,
            typer.Option("--runs", help="Number of negotiations (default: scenario's, or 1000)."),
        ] = None,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the random streams.")] = 0,
        opener: Annotated[
            str | None, typer.Option("--opener", help="Party id that proposes first.")
        ] = None,
        tournament: Annotated[
            bool, typer.Option("--tournament", help="Play every registered strategy pair.")
        ] = False,
        list_strategies: Annotated[
            bool, typer.Option("--list-strategies", help="List the registered strategies.")
        ] = False,
        json_out: Annotated[
            bool, typer.Option("--json", help="Print one JSON object instead of tables.")
        ] = False,
    ) -> None:
        """Simulate negotiations between strategy agents (alternating offers)."""
        from accord.simulation.strategies import describe_registry

        if list_strategies:
            rows = describe_registry()
            if json_out:
                print_json({"strategies": rows})
            else:
                _print_registry(rows, default_console)
            return
        if scenario is None:
            raise EngineInputError("give a SCENARIO (a path or a built-in id such as hanoi-2019)")
        if runs is not None and not 1 <= runs <= MAX_RUNS:
            raise EngineInputError(f"--runs must be between 1 and {MAX_RUNS:,}, got {runs}")
        if rounds is not None and not 1 <= rounds <= 100_000:
            raise EngineInputError(f"--rounds must be between 1 and 100,000, got {rounds}")
        s = load_scenario_arg(scenario)
        from accord.simulation.from_scenario import scenario_setup

        sim = scenario_setup(s, deadline=rounds, opener=opener)
        n_runs = runs if runs is not None else sim.runs
        if tournament:
            _tournament(sim, n_runs, seed, json_out)
            return
        _simulate(sim, strategy or [], n_runs, seed, json_out)


def _simulate(sim: Any, assignments: list[str], runs: int, seed: int, json_out: bool) -> None:
    from accord.simulation.batch import simulate_batch
    from accord.simulation.from_scenario import strategies_for, summarise
    from accord.simulation.scalar import negotiate
    from accord.simulation.setup import negotiation_draws

    specs = strategies_for(sim, assignments)
    if runs == 1:
        draws = negotiation_draws(seed, 1, sim.setup.n_parties, sim.setup.deadline)[0]
        trace = negotiate(sim.setup, specs, draws, seed)
        out = _trace_dict(sim, trace, specs)
        if json_out:
            print_json(out)
        else:
            _print_trace(sim, out, default_console)
        return
    with _progress(runs >= PROGRESS_THRESHOLD and not json_out) as bar:
        task = bar.add_task("negotiating", total=runs)
        result = simulate_batch(
            sim.setup, specs, runs, seed, progress=lambda k: bar.advance(task, k)
        )
    out = summarise(sim, result)
    if json_out:
        print_json(out)
    else:
        _print_summary(sim, out, default_console)


def _trace_dict(sim: Any, trace: Any, specs: list[Any]) -> dict[str, Any]:
    ids = sim.party_ids
    out: dict[str, Any] = {
        "runs": 1,
        "agreement_rate": 1.0 if trace.agreement >= 0 else 0.0,
        "mean_rounds": float(trace.round),
        "mean_utilities": dict(zip(ids, trace.utilities, strict=True)),
        "agreements": (
            [{"outcome": sim.decode(trace.agreement), "count": 1}] if trace.agreement >= 0 else []
        ),
        "end": ("agreement", "deadline", "walk-away")[trace.end],
        "walked_away": ids[trace.walked_away] if trace.walked_away >= 0 else None,
        "strategies": dict(zip(ids, (str(s) for s in specs), strict=True)),
        "seed": trace.seed,
        "trace": [
            {
                "round": o.round,
                "proposer": ids[o.proposer],
                "outcome": sim.decode(o.outcome),
                "utilities": dict(zip(ids, o.utilities, strict=True)),
                "responses": {ids[p]: r for p, r in o.responses},
            }
            for o in trace.offers
        ],
    }
    return out


def _print_trace(sim: Any, out: dict[str, Any], console: Console) -> None:
    ids = sim.party_ids
    table = Table(title="Offer trace (utilities undiscounted)")
    table.add_column("round", justify="right")
    table.add_column("proposer")
    table.add_column("offer")
    for p in ids:
        table.add_column(f"u({p})", justify="right")
    table.add_column("responses")
    for row in out["trace"]:
        table.add_row(
            str(row["round"]),
            row["proposer"],
            _fmt_outcome(row["outcome"]),
            *(f"{row['utilities'][p]:.3f}" for p in ids),
            ", ".join(f"{p}: {r}" for p, r in row["responses"].items()),
        )
    console.print(table)
    strategies = ", ".join(f"{p}={s}" for p, s in out["strategies"].items())
    if out["agreements"]:
        console.print(
            f"Agreement in round {out['mean_rounds']:.0f} ({strategies}): "
            f"{_fmt_outcome(out['agreements'][0]['outcome'])}."
        )
    elif out["end"] == "walk-away":
        console.print(
            f"No agreement: {out['walked_away']} walked away in round "
            f"{out['mean_rounds']:.0f} ({strategies})."
        )
    else:
        console.print(f"No agreement by the deadline ({strategies}).")


def _print_summary(sim: Any, out: dict[str, Any], console: Console) -> None:
    ids = sim.party_ids
    head = Table(title=f"{out['runs']:,} simulated negotiations (seed {out['seed']})")
    head.add_column("measure")
    head.add_column("value", justify="right")
    head.add_row("strategies", ", ".join(f"{p}={s}" for p, s in out["strategies"].items()))
    head.add_row("agreement rate", f"{out['agreement_rate']:.1%}")
    head.add_row("mean round reached", f"{out['mean_rounds']:.1f} of {out['deadline']}")
    for p in ids:
        head.add_row(f"mean utility {p}", f"{out['mean_utilities'][p]:.3f}")
    head.add_row("ends", ", ".join(f"{k} {v}" for k, v in out["ends"].items()))
    console.print(head)
    rounds = Table(title="Round in which the negotiations ended")
    rounds.add_column("rounds")
    rounds.add_column("negotiations", justify="right")
    for row in out["rounds_histogram"]:
        if row["count"]:
            rounds.add_row(f"{row['from']}–{row['to']}", f"{row['count']:,}")
    console.print(rounds)
    if out["agreements"]:
        agreements = Table(title="Most frequent agreements")
        agreements.add_column("agreement")
        agreements.add_column("count", justify="right")
        for row in out["agreements"]:
            agreements.add_row(_fmt_outcome(row["outcome"]), f"{row['count']:,}")
        console.print(agreements)


_SHORT = {
    "boulware": "boul",
    "conceder": "conc",
    "hardliner": "hard",
    "tit-for-tat": "tft",
    "working-level": "work",
    "random": "rand",
    "linear": "lin",
    "rubinstein": "rub",
}


def _matrix_table(matrix: Any, title: str, row_label: str, col_label: str) -> Table:
    # Short column names and two short lines per cell keep eight strategies within 80 columns.
    table = Table(title=title)
    table.add_column(f"{row_label} \\ {col_label}")
    for c in matrix.columns:
        table.add_column(_SHORT.get(c, c), justify="right")
    for a, r in enumerate(matrix.rows):
        cells = []
        for b in range(len(matrix.columns)):
            rate = matrix.agreement_rate[a, b]
            cells.append(f"{rate:.0%}\nr{matrix.mean_rounds[a, b]:.0f}" if rate > 0 else "-")
        table.add_row(r, *cells)
    table.caption = (
        f"cell: agreement rate and mean round of agreement ('-': never); deterministic pairs play "
        f"once, random ones {matrix.runs} times; --json gives mean utilities"
    )
    return table


def _tournament(sim: Any, runs: int, seed: int, json_out: bool) -> None:
    from accord.simulation.from_scenario import play_matrix, tournament_strategies

    specs = tournament_strategies(sim.setup)
    pairs = len(specs) ** 2
    with _progress(runs * pairs >= PROGRESS_THRESHOLD and not json_out) as bar:
        task = bar.add_task("tournament", total=pairs)
        matrix = play_matrix(
            sim.setup, sim.party_ids, specs, specs, runs, seed, lambda k: bar.advance(task, k)
        )
    if json_out:
        print_json({"tournament": matrix.to_dict(), "deadline": sim.setup.deadline})
        return
    ids = sim.party_ids
    default_console.print(
        _matrix_table(matrix, "Strategy tournament", ids[0], ids[1] if len(ids) == 2 else "others")
    )


def _print_registry(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="Registered strategies")
    for col in ("name", "family", "parameters", "stochastic", "batch", "description"):
        table.add_column(col)
    for r in rows:
        params = ", ".join(f"{k}={v:g}" for k, v in r["params"].items()) or "-"
        table.add_row(
            r["name"],
            r["family"],
            params,
            "yes" if r["stochastic"] else "no",
            "yes" if r["batch"] else "no",
            r["description"],
        )
    console.print(table)


def run_section(scenario: Any, console: Console) -> dict[str, Any] | None:
    """Simulation findings for ``accord run``: strategy matrix and the hold-out grid."""
    section = getattr(scenario, "simulation", None)
    if section is None:
        return None
    from accord.simulation.batch import simulate_batch
    from accord.simulation.from_scenario import (
        exponent_grid,
        play_matrix,
        scenario_setup,
        summarise,
        tournament_strategies,
    )

    sim = scenario_setup(scenario)
    ids = sim.party_ids
    seed = 0
    specs = tournament_strategies(sim.setup)
    matrix = play_matrix(sim.setup, ids, specs, specs, sim.runs, seed)
    grid_specs = exponent_grid(section.sweep.exponents)
    grid = play_matrix(sim.setup, ids, grid_specs, grid_specs, 1, seed)
    col = ids[1] if len(ids) == 2 else "others"
    console.rule("Simulation (alternating offers)")
    console.print(_matrix_table(matrix, "Strategy matrix", ids[0], col))
    grid_table = Table(
        title=f"Deal or not by how long each side holds out (time-dependent exponent e; "
        f"deadline {sim.setup.deadline} rounds)"
    )
    grid_table.add_column(f"{ids[0]} e \\ {col} e")
    for e in section.sweep.exponents:
        grid_table.add_column(f"{e:g}", justify="right")
    for a, e in enumerate(section.sweep.exponents):
        cells = []
        for b in range(len(section.sweep.exponents)):
            agreed = grid.agreement_rate[a, b] > 0
            cells.append(f"deal r{grid.mean_rounds[a, b]:.0f}" if agreed else "no deal")
        grid_table.add_row(f"{e:g}", *cells)
    grid_table.caption = "small e: concedes late (Boulware); large e: concedes early (conceder)"
    console.print(grid_table)
    default_specs = list(sim.default_strategies)
    stochastic = any(spec.info.stochastic for spec in default_specs)
    default = simulate_batch(sim.setup, default_specs, sim.runs if stochastic else 1, seed)
    findings = _findings(sim, default, matrix, grid, section.sweep.exponents)
    for line in findings:
        console.print(f"• {line}")
    return {
        "deadline": sim.setup.deadline,
        "opener": ids[sim.setup.opener],
        "default_strategies": summarise(sim, default),
        "strategy_matrix": matrix.to_dict(),
        "exponent_grid": grid.to_dict(),
        "findings": findings,
    }


def _findings(
    sim: Any, default: Any, matrix: Any, grid: Any, exponents: tuple[float, ...]
) -> list[str]:
    import numpy as np

    ids = sim.party_ids
    other = ids[1] if len(ids) == 2 else "the others"
    out = []
    who = ", ".join(f"{p}={s}" for p, s in zip(ids, default.strategies, strict=True))
    ends = default.end
    if default.agreement_rate > 0:
        out.append(
            f"With the scenario's strategies ({who}) a deal is reached in "
            f"{default.agreement_rate:.0%} of runs, on average in round "
            f"{default.rounds[default.agreement >= 0].mean():.0f} of {sim.setup.deadline}."
        )
    else:
        how = "a walk-away" if np.all(ends == 2) else "no agreement"
        out.append(
            f"With the scenario's strategies ({who}) the talks end in {how} by round "
            f"{default.rounds.max()} of {sim.setup.deadline}: the demands never meet in time."
        )
    rate = matrix.agreement_rate
    out.append(
        f"{int((rate > 0).sum())} of {rate.size} strategy pairings reach a deal at least "
        f"sometimes; the average agreement rate over all pairings is {rate.mean():.0%}."
    )
    g = grid.agreement_rate > 0
    by_row, by_col = g.mean(axis=1), g.mean(axis=0)
    out.append(
        f"Across the {g.shape[0]}×{g.shape[1]} grid of concession exponents a deal happens in "
        f"{int(g.sum())} of {g.size} combinations. When {ids[0]} holds out hardest "
        f"(e={exponents[0]:g}) a deal happens against {by_row[0]:.0%} of {other}'s settings, "
        f"when it concedes early (e={exponents[-1]:g}) against {by_row[-1]:.0%}; for {other} "
        f"the figures are {by_col[0]:.0%} and {by_col[-1]:.0%}."
    )
    return out
