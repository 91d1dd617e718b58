"""``accord init``: start a scenario file from the commented template.

The template (``accord/scenarios/templates/scenario.yaml.tmpl``) is filled in with the ids given
on the command line and checked with the scenario loader before anything is written, so the new
file always passes ``accord validate``; its placeholders are marked ``TODO``. An existing file is
never overwritten without ``--force``.

Example::

    accord init talks --parties buyer,seller --issues price,delivery
    accord validate talks.yaml
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accord.cli.common import console, guarded
from accord.errors import AccordError, ScenarioError

if TYPE_CHECKING:
    from string import Template

TEMPLATE = ("scenarios", "templates", "scenario.yaml.tmpl")
"""Where the template lives inside the ``accord`` package (shipped as package data)."""

DEFAULT_PARTIES = "party-a,party-b"
DEFAULT_ISSUES = "issue-1,issue-2"


def check_id(value: str, what: str) -> str:
    """``value`` if it is a valid id (the scenario model's own check), else an AccordError (the
    CLI exits 2) that names ``what`` and gives the model's reason and fix."""
    from pydantic import TypeAdapter, ValidationError

    from accord.scenario.base import Id

    try:
        return TypeAdapter(Id).validate_python(value)
    except ValidationError as exc:
        msg = str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
        raise AccordError(f"{what}: {msg}.") from None


def check_ids(text: str, what: str, *, minimum: int) -> list[str]:
    """The comma-separated ids in ``text``, each checked as the scenario model checks an id.

    Raises :class:`AccordError` naming the option and the fix for a bad, repeated (without
    regard to case, as the model compares ids) or missing id.
    """
    from accord.scenario.base import duplicate_ids

    ids = [part.strip() for part in text.split(",")]
    if ids == [""]:
        ids = []
    for i in ids:
        if not i:
            raise AccordError(
                f"--{what} has an empty id (two commas in a row, or a comma at an end); give "
                f"--{what} as a comma-separated list such as 'a,b'."
            )
        check_id(i, f"--{what}")
    dup = duplicate_ids(ids)
    if dup:
        raise AccordError(
            f"--{what} repeats {', '.join(repr(d) for d in dup)} (ids are compared without "
            "regard to case); give each id once."
        )
    if len(ids) < minimum:
        raise AccordError(
            f"--{what} names {len(ids)}; a scenario needs at least {minimum}: give --{what} as "
            "a comma-separated list such as 'a,b'."
        )
    return ids


def render(scenario_id: str, parties: list[str], issues: list[str], file_name: str) -> str:
    """The template filled in: one entry per party and issue, opposed preferences (the first,
    third, ... party wants more of every issue, the others less) with each party caring most
    about a different issue where there are enough (so trades across issues exist, as in
    logrolling), and a midpoint proposal."""
    party_lines: list[str] = []
    for k, p in enumerate(parties):
        party_lines += [f"  - id: {_key(p)}", f'    name: "TODO: full name of {p}"']
        if k == 0:
            party_lines += [
                "    evidence:  # an example: what in a source tells you who this party is",
                "      - source: source-1",
                '        quote: "TODO: the exact words from source-1 you rely on"',
                '        note: "TODO: what the quote shows"',
            ]
    issue_lines: list[str] = []
    for i in issues:
        issue_lines += [
            f"  - id: {_key(i)}",
            f'    name: "TODO: what {i} is about"',
            "    range: [0, 100]  # TODO: the lowest and highest value on the table",
            "    step: 10",
        ]
    pref_lines: list[str] = []
    for k, p in enumerate(parties):
        direction = "increasing" if k % 2 == 0 else "decreasing"
        pref_lines += [f"  {_key(p)}:", "    weights:"]
        for j, i in enumerate(issues):
            weight = 2 if j == k % len(issues) and len(issues) > 1 else 1
            if k == 0 and j == 0:
                pref_lines += [
                    f"      {_key(i)}:",
                    f"        value: {weight}  # TODO: how much {i} matters to {p}, relative to"
                    " the rest",
                    "        evidence:",
                    "          - source: source-1",
                    '            quote: "TODO: the exact words that show how much it matters"',
                ]
            else:
                pref_lines.append(f"      {_key(i)}: {weight}  # TODO: relative weight")
        pref_lines.append("    values:")
        pref_lines += [
            f"      {_key(i)}: {direction}  # TODO: increasing or decreasing" for i in issues
        ]
        if k == 1:
            pref_lines.append(
                "    reservation: {triangular: [0.2, 0.3, 0.4]}  # TODO: unsure? low, likely, high"
            )
        else:
            pref_lines.append(f"    reservation: 0.3  # TODO: utility of no deal for {p} (0-1)")
    text = _template().substitute(
        name=scenario_id,
        scenario_id=_key(scenario_id),
        file_name=file_name,
        parties="\n".join(party_lines),
        issues="\n".join(issue_lines),
        preferences="\n".join(pref_lines),
        first_party=_key(parties[0]),
        midpoints=", ".join(f"{_key(i)}: 50" for i in issues),
    )
    return text


def _key(an_id: str) -> str:
    """``an_id`` as YAML text that reads back as that string: quoted when YAML would read it as
    something else (``yes`` is true, ``1e3`` a number, ``null`` nothing)."""
    import yaml

    return an_id if yaml.safe_load(an_id) == an_id else f'"{an_id}"'


def _template() -> Template:
    # Imported here: `accord --help` imports this module and must start quickly.
    from importlib import resources
    from string import Template

    return Template(resources.files("accord").joinpath(*TEMPLATE).read_text("utf-8"))


def write_scenario(
    name: str, parties: str, issues: str, out: Path | None, *, force: bool = False
) -> tuple[Path, int]:
    """Write the new scenario; returns its path and the number of TODO lines to fill in."""
    from accord.io.scenario_file import parse_scenario

    scenario_id = check_id(name, "NAME (the scenario's id)")
    party_ids = check_ids(parties, "parties", minimum=2)
    issue_ids = check_ids(issues, "issues", minimum=1)
    path = out if out is not None else Path(f"{scenario_id}.yaml")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise ScenarioError(
            "accord init writes YAML (comments and all)",
            file=str(path),
            hint="give --out a name ending in .yaml",
        )
    if path.is_dir():
        raise ScenarioError("is a folder", file=str(path), hint="give --out a file name")
    if path.exists() and not force:
        raise ScenarioError(
            "already exists; accord init does not overwrite a file",
            file=str(path),
            hint="give another --out, or --force to replace the file",
        )
    text = render(scenario_id, party_ids, issue_ids, path.name)
    # Check the text as `accord validate` would before writing it: a new file always validates.
    parse_scenario(text, file=str(path))
    try:
        # "x" (create, fail if present) closes the gap between the check above and the write.
        with path.open("w" if force else "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise ScenarioError(
            "already exists; accord init does not overwrite a file",
            file=str(path),
            hint="give another --out, or --force to replace the file",
        ) from None
    except OSError as exc:
        raise ScenarioError(
            f"cannot be written ({exc.strerror or exc})",
            file=str(path),
            hint="check that the folder exists and that you may write to it",
        ) from None
    return path, sum(1 for line in text.splitlines() if "TODO" in line)


def register(app: typer.Typer) -> None:
    @app.command("init")
    @guarded
    def init_cmd(
        name: Annotated[
            str, typer.Argument(help="The scenario's id, in kebab-case (e.g. 'trade-talks').")
        ],
        parties: Annotated[
            str, typer.Option("--parties", help="Party ids, comma-separated.")
        ] = DEFAULT_PARTIES,
        issues: Annotated[
            str, typer.Option("--issues", help="Issue ids, comma-separated.")
        ] = DEFAULT_ISSUES,
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="File to write (default: NAME.yaml).")
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Overwrite the file if it exists.")
        ] = False,
    ) -> None:
        """Start a new scenario file from a commented template.

        The file validates as written; replace its placeholders, marked TODO, as you go.
        """
        path, todo = write_scenario(name, parties, issues, out, force=force)
        console.print(
            f"wrote {path}: replace the {todo} lines marked TODO with what you know, then run "
            f"'accord validate {path}'.",
            soft_wrap=True,
        )
