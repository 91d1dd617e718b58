"""Signalling games as a registered engine (docs/architecture.md, "The registry").

Wraps :mod:`accord.signals`: every pure-strategy perfect Bayesian equilibrium of each game in the
scenario's ``signals:`` section, with beliefs, the intuitive criterion (Cho & Kreps 1987), hybrid
equilibria, costly versus cheap messages (Fearon 1997) and what it would take to make the sender's
types separate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.scenario.model import Scenario


class SignalsSettings(EngineSettings):
    game: str | None = Field(None, description="solve only this game (its id); all by default")
    thresholds: bool = Field(
        True, description="search for the smallest change that makes separation appear or vanish"
    )


@dataclass(frozen=True)
class Prepared:
    games: tuple[Any, ...]
    names: dict[str, str]
    thresholds: bool


@dataclass(frozen=True)
class Signals:
    """One :class:`accord.signals.GameAnalysis` per game, in the scenario's order."""

    analyses: tuple[Any, ...]

    def to_dict(self) -> dict[str, Any]:
        from accord.signals import findings

        return {
            "games": {a.game.id: {**a.to_dict(), "findings": findings(a)} for a in self.analyses}
        }


def prepare(scenario: Scenario, settings: SignalsSettings) -> Prepared:
    if scenario.signals is None:
        raise Absent("the scenario has no 'signals:' section")
    from accord.signals import select_games

    games = select_games(scenario.signals, settings.game)
    names = {p.id: p.name for p in scenario.parties}
    return Prepared(tuple(games), names, settings.thresholds)


def run(p: Prepared, seed: int) -> Signals:
    from accord.signals import analyse_game

    return Signals(tuple(analyse_game(g, p.names, thresholds=p.thresholds) for g in p.games))


def headlines(r: Signals) -> dict[str, float]:
    out: dict[str, float] = {}
    for a in r.analyses:
        out[f"separating:{a.game.id}"] = float(a.solution.separating_exists)
    for a in r.analyses:
        out[f"equilibria:{a.game.id}"] = float(a.solution.count)
        out[f"intuitive:{a.game.id}"] = float(sum(e.intuitive for e in a.solution.equilibria))
    if r.analyses:
        out["any_separating"] = float(any(a.solution.separating_exists for a in r.analyses))
    return out


def findings(r: Signals) -> list[Finding]:
    from accord.signals import findings as game_findings

    out: list[Finding] = []
    for a in r.analyses:
        out += [Finding(f["kind"], f["text"], f["values"]) for f in game_findings(a)]
    return out


SPEC = EngineSpec(
    key="signals",
    title="Signals and credibility",
    sections=("signals",),
    settings=SignalsSettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    description="what each signal reveals: equilibria of signalling games, beliefs, credibility",
    target="",
)
