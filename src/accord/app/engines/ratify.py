"""Two-level games as a registered engine (docs/architecture.md, "The registry").

Wraps :func:`accord.domestic.ratify` (issue 14): each party's domestic win-set under its
ratification rule, the two-level zone (Putnam 1988), the bargaining solutions inside it, which
proposals each side can ratify and with what probability, tying hands, the smallest change that
opens an empty zone, synergistic linkage, and whether an outside option binds (Binmore, Shaked &
Sutton 1989).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.scenario.model import Scenario


class RatifySettings(EngineSettings):
    samples: int = Field(
        10_000, ge=1, le=1_000_000,
        description="draws when a ratifier's weights or values are uncertain",
    )  # fmt: skip
    max_outcomes: int = Field(20_000_000, ge=1, description="refuse larger package spaces")


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    settings: RatifySettings


@dataclass(frozen=True)
class Ratification:
    """The two-level result and the scenario it is about."""

    scenario: Scenario
    result: Any

    def to_dict(self) -> dict[str, Any]:
        return dict(self.result.to_dict())


def prepare(scenario: Scenario, settings: RatifySettings) -> Prepared:
    if scenario.domestic is None:
        raise Absent("the scenario has no 'domestic:' section (who ratifies a deal at home)")
    if not scenario.issues or not scenario.preferences:
        raise Absent("the scenario has no issues and preferences to bargain over")
    return Prepared(scenario, settings)


def run(prepared: Prepared, seed: int) -> Ratification:
    from accord.domestic import ratify

    s = prepared.settings
    result = ratify(prepared.scenario, seed=seed, samples=s.samples, max_outcomes=s.max_outcomes)
    return Ratification(prepared.scenario, result)


def headlines(r: Ratification) -> dict[str, float]:
    res = r.result
    out = {
        "two_level_nonempty": float(res.zone_two_level > 0),
        "two_level_size": float(res.zone_two_level),
        "international_size": float(res.zone_international),
    }
    for side in res.sides:
        out[f"win_set:{side.party}"] = float(side.win_set_size)
    for p in res.proposals:
        out[f"p_ratification:{p.id}"] = p.p_all
        for party, ok in p.ratified.items():
            out[f"ratified:{p.id}:{party}"] = float(ok)
    for b in res.plan_b:
        out[f"plan_b_binds:{b.party}"] = float(b.binds)
    return out


def findings(r: Ratification) -> list[Finding]:
    from accord.domestic import findings as domestic_findings

    return [Finding(f["kind"], f["text"], f["values"]) for f in domestic_findings(r.result)]


SPEC = EngineSpec(
    key="ratify",
    title="Two-level game: ratification at home",
    sections=("domestic", "preferences", "proposals"),
    settings=RatifySettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    description="win-sets, the two-level zone, who blocks each proposal, plan B",
    target="two_level_nonempty",
)
