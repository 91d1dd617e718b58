"""``accord ratify``: win-sets, the two-level zone and who blocks each proposal (``domestic:``)."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_engine_result
from accord.cli.render import FoldTable as Table


def _zone_table(res: Any) -> Table:
    table = Table(title="Win-sets and the two-level zone")
    for col in ("set", "rule", "packages"):
        table.add_column(col, justify="right" if col == "packages" else "left")
    n = int(res.utilities.shape[0])
    table.add_row("all packages", "", f"{n:,}")
    table.add_row("leaders' zone of agreement", "", f"{res.zone_international:,}")
    for s in res.sides:
        rule = s.rule if s.quota is None else f"quota {s.quota:g}"
        table.add_row(
            f"{s.party_name} win-set", f"{rule} ({s.need}/{s.total_votes} votes)",
            f"{s.win_set_size:,}",
        )  # fmt: skip
    table.add_row("two-level zone", "", f"{res.zone_two_level:,}", style="bold")
    return table


def _solutions_table(res: Any) -> Table:
    table = Table(title="Bargaining solutions: unconstrained and inside the two-level zone")
    table.add_column("solution")
    table.add_column("where")
    table.add_column("package")
    for pid in res.party_ids:
        table.add_column(res.name(pid), justify="right")
    for name, index in res.solutions.items():
        for where, idx in (("unconstrained", index), ("two-level", res.two_level_solutions[name])):
            if idx is None:
                table.add_row(name, where, "none (empty zone)", *["-"] * len(res.party_ids))
                continue
            outcome = res.space.decode(idx)
            words = "; ".join(res.option_text(k, v) for k, v in outcome.items())
            table.add_row(
                name,
                where,
                words,
                *[f"{float(res.utilities[idx, j]):.3f}" for j in range(len(res.party_ids))],
            )
    return table


def _proposals_table(res: Any) -> Table:
    table = Table(title="Proposals: ratified at home? (P = probability under the uncertain bars)")
    table.add_column("proposal")
    for s in res.sides:
        table.add_column(s.party_name)
    table.add_column("both", justify="right")
    for p in res.proposals:
        cells = [p.name or p.id]
        for s in res.sides:
            ok = p.ratified[s.party]
            no = [res.ratifier_name(s.party, r) for r in p.votes_no[s.party]]
            mark = "yes" if ok else "no: " + ", ".join(no)
            cells.append(f"{mark} (P {p.p_ratification[s.party]:.3f})")
        cells.append(f"{p.p_all:.3f}")
        table.add_row(*cells)
    return table


def _print(er: Any, out: Console) -> None:
    from accord.cli.render import bullets

    res = er.result.result
    out.print(_zone_table(res))
    out.print(_solutions_table(res))
    if res.proposals:
        out.print(_proposals_table(res))
    bullets(out, er.findings)


def render_run(er: Any, console: Console) -> None:
    """The two-level section of ``accord run``, from the one computed result."""
    from accord.cli.render import rule

    rule(console, er.title)
    _print(er, console)


def register(app: typer.Typer) -> None:
    @app.command("ratify")
    @guarded
    def ratify(
        scenario: str = typer.Argument(..., help="Scenario file or built-in id."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        seed: int = typer.Option(0, "--seed", help="Seed of the sampled probabilities."),
        samples: int = typer.Option(
            10_000, "--samples", help="Draws when a ratifier's weights or values are uncertain."
        ),
    ) -> None:
        """Can each side ratify the deal at home? Win-sets, the two-level zone, who blocks."""

        from accord.app.run import run_engine

        loaded = load_scenario_arg(scenario)
        er = run_engine("ratify", loaded, {"samples": samples}, seed)
        if as_json:
            print_engine_result(er, loaded)
            return
        _print(er, default_console)
