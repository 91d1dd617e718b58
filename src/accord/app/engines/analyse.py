"""Bargaining analysis as a registered engine (docs/architecture.md, "The registry").

Wraps :func:`accord.bargaining.analyse` (zone of possible agreement, Pareto frontier, Nash,
Kalai–Smorodinsky, utilitarian and egalitarian solutions, Rubinstein; docs/models.md) and states
its findings as structured data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import Field

from accord.app.labels import outcome_text, party_name, plural
from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.scenario.model import Scenario

SOLUTION_NAMES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "utilitarian": "utilitarian",
    "egalitarian": "egalitarian",
    "rubinstein": "Rubinstein",
}


class AnalyseSettings(EngineSettings):
    max_outcomes: int = Field(
        50_000_000, ge=1, description="refuse outcome spaces larger than this"
    )


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    max_outcomes: int


@dataclass(frozen=True)
class Analysis:
    """The bargaining result and the scenario it is about (for labels)."""

    scenario: Scenario
    result: Any

    def to_dict(self, max_pareto: int | None = 50) -> dict[str, Any]:
        return dict(self.result.to_dict(max_pareto=max_pareto))


def prepare(scenario: Scenario, settings: AnalyseSettings) -> Prepared:
    if not scenario.issues or not scenario.preferences:
        raise Absent("the scenario has no issues and preferences to bargain over")
    return Prepared(scenario, settings.max_outcomes)


def run(prepared: Prepared, seed: int) -> Analysis:
    from accord.bargaining import analyse

    return Analysis(
        prepared.scenario, analyse(prepared.scenario, max_outcomes=prepared.max_outcomes)
    )


def headlines(a: Analysis) -> dict[str, float]:
    r = a.result
    gains = r.utilities - r.reservations
    out = {
        "deal_possible": float(r.zone_size > 0),
        "zone_size": float(r.zone_size),
        "best_min_gain": float(gains.min(axis=1).max()),
    }
    for p in r.proposals:
        out[f"in_zone:{p.id}"] = float(p.in_zone)
        out[f"margin:{p.id}"] = float(np.min(np.asarray(p.utilities) - r.reservations))
    if r.proposals:
        out["any_proposal_in_zone"] = float(any(p.in_zone for p in r.proposals))
    return out


def _gains_text(a: Analysis, utilities: dict[str, float]) -> str:
    r = a.result
    res = {p: float(r.reservations[j]) for j, p in enumerate(r.party_ids)}
    return ", ".join(
        f"{party_name(a.scenario, p)} {u:.2f} (walk-away {res[p]:.2f})"
        for p, u in utilities.items()
    )


def findings(a: Analysis) -> list[Finding]:
    s, r = a.scenario, a.result
    d = r.to_dict(max_pareto=0)
    out: list[Finding] = []
    zone = d["zopa"]
    if zone["size"] == 0:
        gaps = r.reservations - r.utilities.max(axis=0)
        worst = int(np.argmax(gaps))
        out.append(
            Finding(
                "analyse.no_zone",
                "No package gives every party at least its walk-away value: the zone of "
                "possible agreement is empty.",
                {"zone_size": 0, "outcomes": d["outcomes"],
                 "tightest_party": r.party_ids[worst], "gap": float(gaps[worst])},
            )
        )  # fmt: skip
    else:
        out.append(
            Finding(
                "analyse.zone",
                f"{zone['size']:,} of {plural(d['outcomes'], 'package')} "
                f"({zone['fraction']:.1%}) give every party at least its walk-away value; "
                f"{zone['pareto_size']:,} of them are efficient.",
                {"zone_size": zone["size"], "outcomes": d["outcomes"],
                 "efficient_in_zone": zone["pareto_size"]},
            )
        )  # fmt: skip
        nash = d["solutions"].get("nash")
        if nash is not None:
            agree = [
                SOLUTION_NAMES[k]
                for k in ("kalai_smorodinsky", "utilitarian", "egalitarian")
                if d["solutions"].get(k) and d["solutions"][k]["index"] == nash["index"]
            ]
            same = f" The {', '.join(agree)} solution(s) pick the same package." if agree else ""
            out.append(
                Finding(
                    "analyse.nash",
                    f"The Nash bargaining solution is {outcome_text(s, nash['outcome'])} — "
                    f"{_gains_text(a, nash['utilities'])}.{same}",
                    {"outcome": nash["outcome"], "utilities": nash["utilities"],
                     "agreeing": agree},
                )
            )  # fmt: skip
    for p in d["proposals"]:
        label = p["name"] or p["id"]
        if p["shortfalls"]:
            who = ", ".join(
                f"{party_name(s, q)} by {gap:.3f}" for q, gap in p["shortfalls"].items()
            )
            text = f"'{label}' falls short of the walk-away value of {who}"
            kind = "analyse.proposal_short"
        else:
            text = f"'{label}' is acceptable to every party"
            kind = "analyse.proposal_acceptable"
        better = p["better_for_all"]
        if better is not None:
            gain = ", ".join(
                f"{party_name(s, q)} +{better['utilities'][q] - p['utilities'][q]:.3f}"
                for q in d["parties"]
            )
            text += f"; it is not efficient: {outcome_text(s, better['outcome'])} gives {gain}"
        out.append(
            Finding(
                kind,
                text + ".",
                {"proposal": p["id"], "utilities": p["utilities"], "shortfalls": p["shortfalls"],
                 "better_for_all": None if better is None else better["outcome"]},
            )
        )  # fmt: skip
    return out


SPEC = EngineSpec(
    key="analyse",
    title="Bargaining analysis",
    sections=("issues", "preferences", "proposals"),
    settings=AnalyseSettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    description="zone of possible agreement, Pareto frontier, bargaining solutions, proposals",
    target="deal_possible",
)
