"""The uncertainty summary of ``accord run``: how robust the bargaining findings are.

The question (docs/architecture.md, "The life of one accord run"): in what share of plausible
worlds is a deal possible, and is a proposal on the table acceptable to every party? If not at
the point estimate, what is the smallest change that would make one acceptable? When the scenario
has no named proposals, or the zone is empty at the point estimate, the target is instead that a
zone of agreement opens. One Latin-hypercube sample of ``samples`` worlds, recorded with its seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.app.labels import plural
from accord.app.registry import Absent, Finding
from accord.scenario.model import Scenario

DEFAULT_SAMPLES = 4096


@dataclass(frozen=True)
class UncertaintySummary:
    samples: int
    seed: int
    sampler: str
    parameters: tuple[str, ...]
    labels: tuple[str, ...]
    probability_deal: float
    probability_some_proposal_acceptable: float | None
    proposals: tuple[dict[str, Any], ...]
    what_would_it_take: dict[str, Any]
    margins: np.ndarray
    tornado: dict[str, Any]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "seed": self.seed,
            "sampler": self.sampler,
            "uncertain_parameters": list(self.parameters),
            "probability_deal": self.probability_deal,
            "probability_some_proposal_acceptable": self.probability_some_proposal_acceptable,
            "proposals": list(self.proposals),
            "what_would_it_take": self.what_would_it_take,
            "tornado": self.tornado,
            "findings": [f.to_dict() for f in self.findings],
        }


def uncertainty_summary(
    scenario: Scenario, *, seed: int = 0, samples: int | None = None
) -> UncertaintySummary:
    from accord.uncertainty import (
        Target,
        evaluate_samples,
        get_engine,
        sample_matrix,
        scenario_params,
        uncertain_params,
        what_would_it_take,
    )
    from accord.uncertainty.sensitivity import tornado

    n = int(samples or DEFAULT_SAMPLES)
    if not scenario.issues or not scenario.preferences:
        raise Absent("the scenario has no issues and preferences")
    entry = get_engine("analyse")
    params = [p for p in uncertain_params(scenario) if entry.relevant(p)]
    if not params:
        raise Absent("no bargaining parameter carries a distribution")
    values = sample_matrix(params, n, seed, "lhs")
    outputs = evaluate_samples(entry, scenario, params, values, seed=seed)
    point = evaluate_samples(
        entry, scenario, params, np.array([[p.point for p in params]]), seed=seed
    )
    p_deal = float(outputs["deal_possible"].mean())
    proposals = tuple(
        {
            "id": prop.id,
            "name": prop.name or prop.id,
            "probability_acceptable": float(outputs[f"in_zone:{prop.id}"].mean()),
            "acceptable_at_point": bool(point[f"in_zone:{prop.id}"][0]),
        }
        for prop in scenario.proposals
    )
    if proposals and point["deal_possible"][0] > 0:
        target = Target(
            "any_proposal_in_zone", ">=", 1.0,
            "What is the smallest change that would make a proposal on the table acceptable to "
            "every party?",
        )  # fmt: skip
    else:
        target = Target(
            "deal_possible", ">=", 1.0,
            "What is the smallest change that would open a zone of agreement?",
        )  # fmt: skip
    # Candidates: how much each party cares (weights), what it walks away with (reservation),
    # and every parameter the analyst marked uncertain.
    names = [
        p.name
        for p in scenario_params(scenario)
        if entry.relevant(p)
        and p.high > p.low
        and (p.dist is not None or (len(p.path) >= 3 and p.path[2] in ("weights", "reservation")))
    ]
    whatif = what_would_it_take(scenario, "analyse", target, names=names).to_dict()
    torn = tornado(
        lambda rows: evaluate_samples(entry, scenario, params, rows, seed=seed),
        params,
        "best_min_gain",
    ).to_dict()
    p_any = float(outputs["any_proposal_in_zone"].mean()) if proposals else None
    found = [
        Finding(
            "uncertainty.zone",
            f"Over {plural(n, 'plausible world')} (Latin hypercube over "
            f"{plural(len(params), 'uncertain parameter')}, seed {seed}), a zone of agreement "
            f"exists in {p_deal:.0%} of them.",
            {"samples": n, "seed": seed, "probability_deal": p_deal},
        )
    ]
    for prop in proposals:
        found.append(
            Finding(
                "uncertainty.proposal",
                f"'{prop['name']}' is acceptable to every party in "
                f"{prop['probability_acceptable']:.0%} of them "
                f"({'yes' if prop['acceptable_at_point'] else 'no'} at the point estimate).",
                dict(prop),
            )
        )
    if whatif["changes"]:
        goal = (
            "a proposal acceptable" if target.output != "deal_possible" else "a zone of agreement"
        )
        found.append(
            Finding(
                "uncertainty.what_it_takes",
                f"The smallest single or paired change that gives {goal}: "
                f"{whatif['changes'][0]['sentence']}.",
                {"change": whatif["changes"][0], "target": whatif["target"]},
            )
        )
    return UncertaintySummary(
        samples=n,
        seed=seed,
        sampler="lhs",
        parameters=tuple(p.name for p in params),
        labels=tuple(p.label for p in params),
        probability_deal=p_deal,
        probability_some_proposal_acceptable=p_any,
        proposals=proposals,
        what_would_it_take=whatif,
        margins=outputs["best_min_gain"],
        tornado=torn,
        findings=tuple(found),
    )
