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

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_json
from accord.cli.render import FoldTable as Table
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
        complete_information: Annotated[
            bool,
            typer.Option(
                "--complete-information",
                help="Let every agent see the others' true utilities and walk-away values "
                "(default: the scenario's setting, normally beliefs only).",
            ),
        ] = False,
        discounting: Annotated[
            str | None,
            typer.Option(
                "--discounting",
                help="deals-and-walkaway (walking away is discounted like a deal; GENIUS/ANAC) "
                "or deals-only (default: the scenario's, else deals-and-walkaway).",
            ),
        ] = None,
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

        sim = scenario_setup(
            s,
            deadline=rounds,
            opener=opener,
            information="complete" if complete_information else None,
            discounting=discounting,
        )
        n_runs = runs if runs is not None else sim.runs
        if tournament:
            _tournament(sim, n_runs, seed, json_out)
            return
        _simulate(sim, strategy or [], n_runs, seed, json_out, s.id)


def _simulate(
    sim: Any, assignments: list[str], runs: int, seed: int, json_out: bool, scenario_id: str = ""
) -> None:
    from accord.cli.common import print_result
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
            print_result(scenario_id, _settings(sim, out, runs), seed, out)
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
        print_result(scenario_id, _settings(sim, out, runs), seed, out)
    else:
        _print_summary(sim, out, default_console)


def _settings(sim: Any, out: dict[str, Any], runs: int) -> dict[str, Any]:
    setup = sim.setup
    return {
        "deadline": setup.deadline,
        "runs": runs,
        "opener": sim.party_ids[setup.opener],
        "strategies": out.get("strategies"),
        "information": setup.information,
        "discounting": setup.discounting,
    }


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
        "information": sim.setup.information,
        "discounting": sim.setup.discounting,
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
    head.add_row("information", out["information"])
    head.add_row("discounting", out["discounting"])
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


def render_run(er: Any, console: Console) -> None:
    """The simulation section of ``accord run``, from the one computed result."""
    from accord.cli.render import bullets, row, rule, table

    r = er.result
    ids = list(r.party_ids)
    col = ids[1] if len(ids) == 2 else "others"
    rule(console, er.title)
    if r.matrix is not None:
        console.print(_matrix_table(r.matrix, "Strategy matrix", ids[0], col))
    if r.grid is not None:
        ex = r.exponents
        grid_table = table(
            f"Deal or not by how long each side holds out (time-dependent exponent e; "
            f"deadline {r.sim.setup.deadline} rounds)",
            [f"{ids[0]} e \\ {col} e", *((f"{e:g}", "right") for e in ex)],
            caption="small e: concedes late (Boulware); large e: concedes early (conceder)",
        )
        for a, e in enumerate(ex):
            cells = [
                f"deal r{r.grid.mean_rounds[a, b]:.0f}" if r.grid.agreement_rate[a, b] > 0 else "no"
                for b in range(len(ex))
            ]
            row(grid_table, f"{e:g}", *cells)
        console.print(grid_table)
    bullets(console, er.findings)
