"""How ``accord run`` prints one :class:`~accord.app.run.RunResult` (rendering only).

Each engine's section is printed by ``render_run(engine_result, console)`` of the CLI module with
the engine's key (``accord.cli.analyse`` for ``analyse``) when that module has one, and otherwise
as its title and findings. Nothing here computes: every number comes from the result.
"""

from __future__ import annotations

import importlib
from typing import Any

from rich.console import Console

from accord.cli.render import bullets, clean, row, rule, table


def _renderer(key: str) -> Any | None:
    try:
        module = importlib.import_module(f"accord.cli.{key}")
    except ModuleNotFoundError as exc:
        if exc.name == f"accord.cli.{key}":
            return None
        raise
    return getattr(module, "render_run", None)


def print_engine(er: Any, console: Console) -> None:
    render = _renderer(er.key)
    if render is not None:
        render(er, console)
        return
    rule(console, er.title)
    bullets(console, er.findings)


def print_uncertainty(summary: Any, console: Console) -> None:
    rule(console, "Uncertainty")
    t = table("Deal under uncertainty", ["event", ("probability", "right"), ("at point", "right")])
    for prop in summary.proposals:
        row(
            t,
            f"{prop['name']} acceptable to all",
            f"{prop['probability_acceptable']:.1%}",
            "yes" if prop["acceptable_at_point"] else "no",
        )
    row(t, "a zone of agreement exists", f"{summary.probability_deal:.1%}", "")
    console.print(t)
    w = summary.what_would_it_take
    if w["changes"]:
        wt = table(
            f"What would it take: {w['question'] or w['target']}",
            [("#", "right"), "smallest change", ("size", "right")],
            caption="size: the change as a share of each parameter's plausible range",
        )
        for k, c in enumerate(w["changes"], 1):
            row(wt, str(k), c["sentence"], f"{c['size']:.3f}")
        console.print(wt)
    bullets(console, summary.findings)


def print_briefing(briefing: Any, console: Console) -> None:
    """The briefing's points as bullets with a hanging indent, wrapped to the console."""
    import textwrap

    rule(console, f"Briefing: {briefing.title}")
    width = max(40, console.width)
    for p in briefing.points:
        for line in textwrap.wrap(
            clean(p.text),
            width=width,
            initial_indent="• ",
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,  # an id is never split
        ):
            console.print(line, soft_wrap=True)


def print_run(result: Any, console: Console, *, brief_only: bool = False) -> None:
    """The briefing first, then (unless ``brief_only``) the scenario and every engine's section."""
    from accord.app.briefing import brief
    from accord.cli.summary import print_summary

    print_briefing(brief(result), console)
    if brief_only:
        return
    print_summary(result.scenario, console, detailed=False)
    for er in result.engines.values():
        print_engine(er, console)
    if result.uncertainty is not None:
        print_uncertainty(result.uncertainty, console)
    if result.left_out:
        rule(console, "Left out")
        for key, reason in result.left_out.items():
            console.print(clean(f"{key}: {reason}"))
