"""``accord import genius`` and ``accord export genius``: GENIUS XML domains in and out.

The work happens in :mod:`accord.io.genius`; this module parses the command line and prints.

Example::

    accord import genius ../shared/data/genius/Laptop -o laptop.yaml
    accord export genius laptop.yaml -o laptop-genius/
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.common import console, guarded, load_scenario_arg, print_json
from accord.errors import ScenarioError

import_app = typer.Typer(
    help="Bring negotiations in from other tools' formats.", no_args_is_help=True
)
export_app = typer.Typer(help="Write a scenario out in other tools' formats.", no_args_is_help=True)


@import_app.command("genius")
@guarded
def import_genius_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="A GENIUS domain folder, or a domain XML file and profile XML files."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Scenario file to write (.yaml or .json)."),
    ] = None,
    deadline_rounds: Annotated[
        int | None,
        typer.Option(
            help="Spread GENIUS's whole-deadline discount d over this many rounds (d^(1/R)).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Import a GENIUS/ANAC negotiation domain as an Accord scenario.

    Without -o the scenario's YAML is printed on standard output.
    """
    from accord.io.genius import import_genius
    from accord.io.scenario_file import save_scenario, scenario_to_yaml

    scenario = import_genius(paths, deadline_rounds=deadline_rounds)
    if output is None and not as_json:
        typer.echo(scenario_to_yaml(scenario), nl=False)
        return
    if output is not None:
        if output.is_dir():
            raise ScenarioError(
                "is a folder", file=str(output), hint="give a file name such as scenario.yaml"
            )
        try:
            save_scenario(scenario, output)
        except OSError as exc:
            raise ScenarioError(f"cannot be written: {exc.strerror}", file=str(output)) from None
    summary = {
        "scenario": scenario.id,
        "written": str(output) if output is not None else None,
        "parties": list(scenario.party_ids),
        "issues": [i.id for i in scenario.issues],
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"Wrote {output}: scenario '{scenario.id}' with {len(scenario.parties)} parties "
        f"({', '.join(scenario.party_ids)}) and {len(scenario.issues)} issues.",
        soft_wrap=True,
    )


@export_app.command("genius")
@guarded
def export_genius_command(
    scenario_ref: Annotated[str, typer.Argument(metavar="SCENARIO", help="A path or built-in id.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the GENIUS XML files into.")
    ],
    deadline_rounds: Annotated[
        int | None,
        typer.Option(help="Write the discount over this many rounds as GENIUS's d = δ^R."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Export a scenario as a GENIUS domain file and one profile file per party."""
    from accord.io.genius import export_genius, genius_scale_factors

    scenario = load_scenario_arg(scenario_ref)
    factors = genius_scale_factors(scenario)
    written = export_genius(scenario, output, deadline_rounds=deadline_rounds)
    rescaled = {p: f for p, f in factors.items() if abs(f - 1.0) > 1e-12}
    if as_json:
        print_json(
            {"scenario": scenario.id, "written": [str(p) for p in written], "rescaled": rescaled}
        )
        return
    console.print(f"Wrote {len(written)} GENIUS files for '{scenario.id}':")
    for path in written:
        console.print(f"  {path}", soft_wrap=True)
    for pid, factor in rescaled.items():
        console.print(
            f"Note: GENIUS gives every party's best outcome utility 1, so the utilities and "
            f"reservation value of '{pid}' were multiplied by {factor:.4g} (its preference order "
            "is unchanged)."
        )


def register(app: typer.Typer) -> None:
    """Add the ``import`` and ``export`` command groups, each with its ``genius`` command."""
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
