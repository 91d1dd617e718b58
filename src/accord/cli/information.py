"""``accord information``: bargaining when the bottom lines are unknown (``information:`` section).

The engine is :mod:`accord.information`, reached through the application layer's registry
(``accord.app.engines.information``), so this command, ``accord run``, the report and sweeps show
the same numbers and the same findings.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console

from accord.cli.common import console as default_console
from accord.cli.common import guarded, load_scenario_arg, print_engine_result
from accord.cli.render import FoldTable as Table

REGIME_TITLES = {
    "complete": "bottom lines known",
    "leaders": "leaders' summit",
    "working_level": "working-level talks",
    "broker": "honest broker",
}


def _regime_table(data: dict[str, Any], names: dict[str, str]) -> Table:
    from accord.app.labels import possessive

    prop, resp = data["proposer"], data["responder"]
    table = Table(
        title=f"{names.get(prop, prop)} proposes to {names.get(resp, resp)} ({data['protocol']}"
        + (f", {data['rounds']} rounds" if data["protocol"] == "screening" else "")
        + ")"
    )
    for col in ("regime", "P(accept) by round", "P(deal)", "P(impasse)", "joint gain", "truth"):
        table.add_column(col)
    for key, reg in data["regimes"].items():
        offers = ", ".join(f"{o['p_accept']:.2f}" for o in reg["offers"])
        share = reg["joint_gain_share"]
        truth = reg["truth"]
        table.add_row(
            REGIME_TITLES.get(key, key),
            offers,
            f"{reg['p_agreement']:.3f}",
            f"{reg['p_impasse_despite_zone']:.3f}",
            "-" if share is None else f"{share:.0%}",
            "yes" if truth["p_agreement"] == 1.0 else "no",
        )
    table.caption = (
        "Under the proposer's belief in each regime. P(impasse): no deal although a zone exists. "
        "Joint gain: share of the largest available. Truth: a deal under "
        f"{possessive(names.get(resp, resp))} true bottom line "
        f"({data['responder_reservation']:.2f})?"
    )
    return table


def _print(result: Any, out: Console) -> list[str]:
    data = result.result.to_dict()
    names = {p.id: p.name for p in result.scenario.parties}
    out.print(_regime_table(data, names))
    from accord.app.engines.information import findings

    lines = [f.text for f in findings(result)]
    for line in lines:
        out.print(f"• {line}")
    return lines


def register(app: typer.Typer) -> None:
    @app.command("information")
    @guarded
    def information(
        scenario: str = typer.Argument("hanoi-2019", help="Scenario file or built-in id."),
        protocol: str | None = typer.Option(
            None, "--protocol", help="ultimatum (one offer) or screening (several offers)."
        ),
        proposer: str | None = typer.Option(None, "--proposer", help="Who makes the offers."),
        rounds: int | None = typer.Option(None, "--rounds", help="Screening: how many offers."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """How likely is a no-deal when the bottom lines are unknown, and what would help?"""
        from accord.app.registry import get_spec
        from accord.app.run import run_engine

        loaded = load_scenario_arg(scenario)
        overrides = {"protocol": protocol, "proposer": proposer, "rounds": rounds}
        result = run_engine(get_spec("information"), loaded, overrides)
        if as_json:
            print_engine_result(result, loaded)
            return
        _print(result.result, default_console)
