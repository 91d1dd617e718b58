"""Terminal summary of a scenario (what `accord show` and the head of `accord run` print)."""

from __future__ import annotations

from rich.console import Console

from accord.cli.render import FoldTable as Table
from accord.scenario.base import Param
from accord.scenario.model import Scenario, iter_evidence
from accord.uncertainty.parameters import uncertain_params


def fmt_param(p: Param | None, *, compact: bool = False) -> str:
    """A parameter's point value; its distribution in full, or marked '*' when compact."""
    if p is None:
        return "-"
    text = f"{p.point:.2f}"
    if p.dist is not None:
        text += (
            "*" if compact else f" ({p.dist.kind.value} {', '.join(f'{a:g}' for a in p.dist.args)})"
        )
    return text


def print_summary(s: Scenario, console: Console, *, detailed: bool) -> None:
    from accord.cli.render import clean, rule

    rule(console, f"{s.title} ({s.id})")
    if s.description:
        console.print(clean(s.description.strip()), soft_wrap=False)
    n_ev = len(iter_evidence(s))
    uncertain = len(uncertain_params(s))  # every section, not only preferences
    from accord.app.labels import plural

    console.print(
        f"{plural(len(s.parties), 'party', 'parties')}, {plural(len(s.issues), 'issue')}, "
        f"{plural(len(s.proposals), 'named proposal')}, "
        f"{plural(n_ev, 'evidence item')} from {plural(len(s.sources), 'source')}, "
        f"{plural(uncertain, 'uncertain parameter')}."
    )
    if s.issues:
        table = Table(title="Issues")
        table.add_column("issue")
        table.add_column("options or range")
        for issue in s.issues:
            if issue.options is not None:
                opts = (
                    ", ".join(issue.options)
                    if not detailed
                    else "; ".join(
                        f"{o}: {issue.label(o)}" if issue.label(o) != o else o
                        for o in issue.options
                    )
                )
            else:
                assert issue.range is not None
                opts = f"{issue.range[0]:g} to {issue.range[1]:g} in steps of {issue.step:g}"
            table.add_row(issue.name or issue.id, opts)
        console.print(table)
    if s.preferences:
        table = Table(title="Preferences (weights normalised to sum 1)")
        table.add_column("party")
        for issue in s.issues:
            table.add_column(issue.id, justify="right")
        table.add_column("reservation", justify="right")
        table.add_column("discount", justify="right")
        for pid, pref in s.preferences.items():
            w = pref.normalised_weights()
            table.add_row(
                s.party(pid).name,
                *[
                    f"{w.get(i.id, 0.0):.2f}" + ("*" if pref.weights[i.id].uncertain else "")
                    for i in s.issues
                ],
                fmt_param(pref.reservation, compact=True),
                fmt_param(pref.discount, compact=True),
            )
        table.caption = "* uncertain: the point estimate of a distribution ('accord show' lists it)"
        console.print(table)
    uncertain_list = uncertain_params(s)
    if detailed and uncertain_list:
        table = Table(title="Uncertain parameters (engines use the point estimate)")
        for col in ("parameter", "distribution", "point"):
            table.add_column(col, overflow="fold")
        for up in uncertain_list:
            assert up.dist is not None
            args = ", ".join(f"{a:g}" for a in up.dist.args)
            table.add_row(up.label, f"{up.dist.kind.value} [{args}]", f"{up.point:.3g}")
        console.print(table)
    if detailed and s.proposals:
        table = Table(title="Named proposals")
        table.add_column("proposal")
        table.add_column("by")
        for issue in s.issues:
            table.add_column(issue.id)
        for prop in s.proposals:
            table.add_row(
                prop.name or prop.id,
                prop.by or "-",
                *[str(prop.outcome.get(i.id, "-")) for i in s.issues],
            )
        console.print(table)
