"""Glue from a :class:`~accord.scenario.model.Scenario` to the array engines: the setup, the
strategies, the JSON summary, and the comparison of the two information models. The strategy
tournament and the exponent grid are in :mod:`accord.simulation.tournament`.

The setup uses the scenario's point values: utilities from ``utility_matrix`` (linear additive),
each party's ``reservation.point`` and ``discount.point`` (1 when absent), and the optional
``simulation:`` section (deadline, opener, default strategies, outside options, the information
model and the discounting convention). Under ``information: beliefs`` (the default) a party's
belief about another's walk-away value is the point of the scenario's ``information:`` belief
(``holder``, ``about``) when there is one, and the uniform prior's mean 0.5 otherwise; the
others' issue weights are equal (:mod:`accord.simulation.setup` documents the model). Parties not
at the table (a broker) take no part in the negotiation.

Example::

    >>> import accord
    >>> s = accord.load("hanoi-2019")
    >>> sim = scenario_setup(s)
    >>> sim.setup.n_parties, sim.party_ids
    (2, ('usa', 'dprk'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import EngineInputError
from accord.scenario.model import Scenario
from accord.scenario.outcomes import OutcomeSpace, outcome_space, utility_matrix
from accord.simulation.batch import simulate_batch
from accord.simulation.results import BatchResult
from accord.simulation.setup import UNKNOWN_RESERVATION, NegotiationSetup
from accord.simulation.strategies import (
    StrategySpec,
    check_applicable,
    parse_assignment,
    parse_strategy,
)
from accord.simulation.tournament import (
    MatrixResult,
    exponent_grid,
    play_matrix,
    tournament_strategies,
)

# The tournament lives in :mod:`.tournament`; its names stay importable from here.
__all__ = [
    "InformationComparison",
    "MatrixResult",
    "ScenarioSimulation",
    "check_applicable",
    "compare_information",
    "exponent_grid",
    "information_findings",
    "play_matrix",
    "scenario_beliefs",
    "scenario_setup",
    "strategies_for",
    "summarise",
    "tournament_strategies",
]

DEFAULT_STRATEGY = "boulware"
MAX_OUTCOMES = 1_000_000  # each negotiation keeps a few (parties × outcomes) arrays per thread


@dataclass(frozen=True, eq=False)
class ScenarioSimulation:
    """A scenario's negotiation as arrays, with what is needed to name parties and outcomes."""

    setup: NegotiationSetup
    space: OutcomeSpace
    party_ids: tuple[str, ...]
    default_strategies: tuple[StrategySpec, ...]
    runs: int

    def decode(self, outcome: int) -> dict[str, Any]:
        return self.space.decode(outcome)


def scenario_beliefs(scenario: Scenario) -> np.ndarray:
    """(holder, about) beliefs about walk-away values from the ``information:`` section.

    Entries without a belief in the section hold the uniform prior's mean; the diagonal holds
    each party's own (true) reservation value.
    """
    party_ids = scenario.party_ids
    p = len(party_ids)
    out = np.full((p, p), UNKNOWN_RESERVATION)
    section = getattr(scenario, "information", None)
    if section is not None:
        for belief in section.beliefs:
            if belief.holder in party_ids and belief.about in party_ids:
                # The belief's point estimate (the scenario format's: midpoint of a uniform,
                # mode of a triangular, mean of a normal or beta) is what a strategy uses.
                out[party_ids.index(belief.holder), party_ids.index(belief.about)] = (
                    belief.reservation.dist.point
                )
    for k, pid in enumerate(party_ids):
        out[k, k] = scenario.preferences[pid].reservation.point
    return out


def scenario_setup(
    scenario: Scenario,
    deadline: int | None = None,
    opener: str | None = None,
    information: str | None = None,
    discounting: str | None = None,
) -> ScenarioSimulation:
    """The arrays for simulating ``scenario``; the arguments override the section's settings.

    ``information`` is ``"beliefs"`` or ``"complete"``, ``discounting`` ``"deals-and-walkaway"``
    or ``"deals-only"`` (default: the section's, else ``"beliefs"`` and ``"deals-and-walkaway"``).
    """
    section = getattr(scenario, "simulation", None)
    party_ids = scenario.party_ids
    if len(party_ids) < 2:
        raise EngineInputError(
            f"scenario '{scenario.id}' has {len(party_ids)} parties; a negotiation needs two or "
            "more"
        )
    space = outcome_space(scenario)
    if space.n > MAX_OUTCOMES:
        raise EngineInputError(
            f"scenario '{scenario.id}' has {space.n:,} outcomes; simulation supports up to "
            f"{MAX_OUTCOMES:,} — use coarser steps on numeric issues"
        )
    u = utility_matrix(scenario, space)
    prefs = scenario.preferences
    reservation = [prefs[p].reservation.point for p in party_ids]
    discount = []
    for p in party_ids:
        d = prefs[p].discount
        value = 1.0 if d is None else d.point
        if not 0 < value <= 1:
            raise EngineInputError(
                f"preferences.{p}.discount is {value:g}; a discount factor must lie in (0, 1]"
            )
        discount.append(value)
    opener_id = opener or (section.opener if section is not None else None) or party_ids[0]
    if opener_id not in party_ids:
        raise EngineInputError(
            f"opener '{opener_id}' is not a party; use one of: {', '.join(party_ids)}"
        )
    outside = []
    if section is not None:
        for opt in section.outside_options:
            outside.append((party_ids.index(opt.party), opt.round, opt.value.point))
    codes = np.stack(np.unravel_index(np.arange(space.n), space.sizes), axis=1)
    info = information or (section.information if section is not None else "beliefs")
    disc_rule = discounting or (
        section.discounting if section is not None else "deals-and-walkaway"
    )
    setup = NegotiationSetup.create(
        u,
        reservation=reservation,
        discount=discount,
        deadline=deadline or (section.deadline if section is not None else 100),
        opener=party_ids.index(opener_id),
        outside_options=outside,
        issue_codes=codes,
        information=info,
        discounting=disc_rule,
        believed_reservation=scenario_beliefs(scenario) if info == "beliefs" else None,
    )
    defaults = []
    for p in party_ids:
        text = section.strategies.get(p, DEFAULT_STRATEGY) if section is not None else None
        defaults.append(parse_strategy(text or DEFAULT_STRATEGY))
    return ScenarioSimulation(
        setup=setup,
        space=space,
        party_ids=party_ids,
        default_strategies=tuple(defaults),
        runs=section.runs if section is not None else 1000,
    )


def strategies_for(sim: ScenarioSimulation, assignments: Sequence[str]) -> list[StrategySpec]:
    """The section's defaults overridden by ``party=strategy`` assignments (CLI ``--strategy``)."""
    chosen = dict(zip(sim.party_ids, sim.default_strategies, strict=True))
    for text in assignments:
        party, spec = parse_assignment(text, sim.party_ids)
        chosen[party] = spec
    specs = [chosen[p] for p in sim.party_ids]
    check_applicable(sim.setup, specs)
    return specs


def summarise(sim: ScenarioSimulation, result: BatchResult, top: int = 5) -> dict[str, Any]:
    """The JSON summary of ``accord simulate`` with party ids and decoded outcomes."""
    base = result.to_dict()
    base["mean_utilities"] = dict(zip(sim.party_ids, base["mean_utilities"], strict=True))
    base["strategies"] = dict(zip(sim.party_ids, base["strategies"], strict=True))
    base["agreements"] = [
        {"outcome": sim.decode(o), "count": c} for o, c in result.agreement_counts(top)
    ]
    base["rounds_histogram"] = result.round_histogram(10, sim.setup.deadline)
    base["deadline"] = sim.setup.deadline
    base["opener"] = sim.party_ids[sim.setup.opener]
    base["information"] = sim.setup.information
    base["discounting"] = sim.setup.discounting
    return base


@dataclass(frozen=True)
class InformationComparison:
    """The same negotiation played with beliefs and with complete information (issue 12, §4).

    ``by_model`` maps ``"beliefs"`` and ``"complete"`` to the scenario strategies' result
    (agreement rate, mean round, mean utilities by party) and, when the strategy matrix was
    played, how many pairings reach a deal.
    """

    party_ids: tuple[str, ...]
    strategies: tuple[str, ...]
    discounting: str
    has_information_section: bool
    by_model: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategies": dict(zip(self.party_ids, self.strategies, strict=True)),
            "discounting": self.discounting,
            "information_section": self.has_information_section,
            **self.by_model,
        }


def compare_information(
    scenario: Scenario,
    assignments: Sequence[str] = (),
    runs: int | None = None,
    seed: int = 0,
    deadline: int | None = None,
    opener: str | None = None,
    discounting: str | None = None,
    matrix: bool = True,
) -> InformationComparison:
    """Play the scenario's strategies (and optionally every pairing) under both information models.

    ``assignments`` are ``party=strategy`` overrides; deterministic strategy pairs play once.
    """
    out: dict[str, dict[str, Any]] = {}
    sim = scenario_setup(scenario, deadline, opener, "beliefs", discounting)
    specs = strategies_for(sim, assignments)
    n_runs = runs if runs is not None else sim.runs
    for model in ("beliefs", "complete"):
        sim = scenario_setup(scenario, deadline, opener, model, discounting)
        stochastic = any(s.info.stochastic for s in specs)
        result = simulate_batch(sim.setup, specs, n_runs if stochastic else 1, seed)
        agreed = result.agreement >= 0
        row: dict[str, Any] = {
            "agreement_rate": result.agreement_rate,
            "mean_rounds": float(result.rounds.mean()),
            "mean_utilities": dict(
                zip(sim.party_ids, result.utilities.mean(axis=0).tolist(), strict=True)
            ),
            "agreement": sim.decode(result.agreement_counts(1)[0][0]) if agreed.any() else None,
        }
        if matrix:
            tour = tournament_strategies(sim.setup)
            m = play_matrix(sim.setup, sim.party_ids, tour, tour, n_runs, seed)
            row["pairings_with_deal"] = int((m.agreement_rate > 0).sum())
            row["pairings"] = int(m.agreement_rate.size)
            row["mean_pairing_rate"] = float(m.agreement_rate.mean())
        out[model] = row
    return InformationComparison(
        party_ids=sim.party_ids,
        strategies=tuple(str(s) for s in specs),
        discounting=sim.setup.discounting,
        has_information_section=getattr(scenario, "information", None) is not None,
        by_model=out,
    )


def information_findings(
    comparison: InformationComparison, names: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Plain findings ``{"kind", "text", "values"}`` on what complete information would change."""
    names = names or {}
    b, c = comparison.by_model["beliefs"], comparison.by_model["complete"]
    who = ", ".join(
        f"{names.get(p, p)} {s}"
        for p, s in zip(comparison.party_ids, comparison.strategies, strict=True)
    )
    source = (
        "the information section's beliefs about each other's bottom line"
        if comparison.has_information_section
        else "each other's bottom line unknown (uniform prior, mean 0.5)"
    )
    text = (
        f"With beliefs only (equal issue weights for the other side, {source}) the scenario's "
        f"strategies ({who}) reach a deal in {b['agreement_rate']:.0%} of runs; with complete "
        f"information in {c['agreement_rate']:.0%}."
    )
    values: dict[str, Any] = {
        "agreement_rate_beliefs": b["agreement_rate"],
        "agreement_rate_complete": c["agreement_rate"],
        "discounting": comparison.discounting,
    }
    if "pairings" in b:
        text += (
            f" Across the {b['pairings']} strategy pairings {b['pairings_with_deal']} reach a "
            f"deal at least sometimes with beliefs, {c['pairings_with_deal']} with complete "
            "information."
        )
        values |= {
            "pairings": b["pairings"],
            "pairings_with_deal_beliefs": b["pairings_with_deal"],
            "pairings_with_deal_complete": c["pairings_with_deal"],
        }
    return [{"kind": "simulate.information", "text": text, "values": values}]
