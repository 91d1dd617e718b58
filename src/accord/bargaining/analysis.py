"""Bargaining analysis of a scenario: frontier, zone of agreement, solutions, proposals.

Model: the outcome space is the Cartesian product of the issues' values; each party's utility is
linear additive and undiscounted (:mod:`accord.scenario.outcomes`). On it we compute the Pareto
frontier of the whole space (:mod:`accord.bargaining.frontier`), the zone of possible agreement and
the Nash, Kalai–Smorodinsky, utilitarian and egalitarian solutions
(:mod:`accord.bargaining.solutions`), each party's best and worst outcome, and where every named
proposal sits. Utilities are rounded to ``UTILITY_DECIMALS`` decimals first, so that outcomes that
are equal on paper (0.1 + 0.2 versus 0.3) are equal in the analysis and floating-point noise does
not decide who dominates whom.

Rubinstein (1982) is added when the scenario has exactly one issue, that issue is numeric, there
are two parties and both have a discount factor. The pie is the surplus of the zone: the first
listed party proposes first and receives ``s = (1 − δ2)/(1 − δ1·δ2)`` of its own possible gain
over its reservation value, ``u1 = r1 + s·(max_zone u1 − r1)``. The reported outcome is the
efficient grid value in the zone whose first-party utility is nearest that target (ties: lowest
index). With value functions increasing for one party and decreasing for the other on
``range: [0, 1]`` and zero reservations, this is the textbook split: the first party gets share s
of the range (to the nearest step).

When a party's preferences give an ``outside_option`` (a utility it gets by walking away of its
own choice), the split is Binmore, Shaked & Sutton's (1989) instead, on any number of issues:
each outside option becomes a share of its owner's possible gain, ``(w − r)/(max_zone u − r)``
clipped to [0, 1], and ``s`` is the first proposer's share from
:func:`accord.bargaining.solutions.rubinstein_outside_options`. The reservation value stays the
disagreement point. When the two options leave no bargaining surplus (shares summing to 1 or
more) no split is reported.

Example::

    >>> from accord.scenario.model import Scenario
    >>> s = Scenario.model_validate({
    ...     "accord": 1, "id": "dollar", "title": "Divide the dollar",
    ...     "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    ...     "issues": [{"id": "share", "range": [0, 1], "step": 0.01}],
    ...     "preferences": {
    ...         "a": {"weights": {"share": 1}, "values": {"share": "increasing"}},
    ...         "b": {"weights": {"share": 1}, "values": {"share": "decreasing"}}}})
    >>> result = analyse(s)
    >>> result.to_dict()["solutions"]["nash"]["outcome"]
    {'share': 0.5}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.bargaining.frontier import dominated_by_any, pareto_mask
from accord.bargaining.solutions import (
    TIE_RTOL,
    ZONE_ATOL,
    best_outcomes,
    rubinstein_outside_options,
    rubinstein_share,
    solve_all,
    worst_outcomes,
    zopa_mask,
)
from accord.budget import check_memory
from accord.errors import EngineInputError
from accord.scenario.model import Scenario
from accord.scenario.outcomes import (
    OutcomeSpace,
    outcome_space,
    outcome_utilities,
    require_preferences,
    reservations,
    utility_matrix,
)

DEFAULT_MAX_OUTCOMES = 50_000_000
UTILITY_DECIMALS = 12

BYTES_PER_OUTCOME_PARTY = 24
"""Peak bytes per outcome and party: the utility matrix and two same-sized temporaries (the
frontier and the solutions work on float64 copies of it)."""
BYTES_PER_OUTCOME = 64
"""Peak bytes per outcome besides the utilities: the outcome index, the frontier and zone masks
and the sort orders of the frontier search (measured: about 66 bytes per outcome with two
parties and 116 with four, for 3.2 million outcomes)."""
BYTES_PER_LISTED_ROW = 400
"""Bytes per issue and per party of one listed frontier row in ``to_dict`` (Python objects)."""


def analysis_bytes(n_outcomes: int, n_parties: int) -> float:
    """Estimated peak memory of :func:`analyse` on ``n_outcomes`` outcomes (an upper bound)."""
    return float(n_outcomes) * (BYTES_PER_OUTCOME_PARTY * n_parties + BYTES_PER_OUTCOME)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class ProposalAssessment:
    """Where a named proposal sits: each party's utility, in the zone, on the frontier.

    ``on_frontier`` means no outcome of the space dominates the proposal (also meaningful for a
    numeric value between grid points). ``better_for_all`` is, when the proposal is dominated, the
    frontier outcome that dominates it with the largest smallest improvement (ties: lowest index).
    ``shortfalls`` maps each party that values the proposal below its reservation to the gap.
    """

    id: str
    name: str | None
    by: str | None
    outcome: dict[str, str | float]
    utilities: tuple[float, ...]
    in_zone: bool
    on_frontier: bool
    better_for_all: int | None
    shortfalls: dict[str, float]


@dataclass(frozen=True)
class RubinsteinSolution:
    """Rubinstein (1982) split mapped onto the scenario's single numeric issue (see module doc)."""

    proposer: str
    responder: str
    discounts: tuple[float, float]
    share: float
    target_utility: float
    index: int
    outside_options: tuple[float, float] | None = None
    """Each party's outside option as a share of its possible gain (Binmore, Shaked & Sutton)."""
    regime: str | None = None
    """Which outside options bind: "none", "first", "second" or "both" (None without options)."""


@dataclass(frozen=True)
class AnalysisResult:
    """Everything :func:`analyse` finds; arrays are read-only. ``to_dict`` gives JSON-able data."""

    scenario_id: str
    party_ids: tuple[str, ...]
    space: OutcomeSpace
    utilities: np.ndarray
    reservations: np.ndarray
    pareto: np.ndarray
    zone_size: int
    pareto_in_zone: int
    solutions: tuple[tuple[str, int | None], ...]
    rubinstein: RubinsteinSolution | None
    best: tuple[int, ...]
    worst: tuple[int, ...]
    proposals: tuple[ProposalAssessment, ...]

    @property
    def n_outcomes(self) -> int:
        return int(self.utilities.shape[0])

    def solution(self, name: str) -> int | None:
        """Outcome index of a solution by name (``nash``, ``kalai_smorodinsky``, ...)."""
        for key, index in self.solutions:
            if key == name:
                return index
        raise KeyError(name)

    def utilities_of(self, index: int) -> dict[str, float]:
        row = self.utilities[index]
        return {p: float(row[j]) for j, p in enumerate(self.party_ids)}

    def in_zone(self, index: int) -> bool:
        """Whether outcome ``index`` gives every party at least its reservation value."""
        return bool((self.utilities[index] >= self.reservations - ZONE_ATOL).all())

    def outcome_dict(self, index: int) -> dict[str, Any]:
        """One outcome as {"outcome": {issue: option or value}, "utilities": {party: u}}."""
        return {"outcome": self.space.decode(index), "utilities": self.utilities_of(index)}

    def frontier_order(self) -> np.ndarray:
        """Frontier outcome indices ordered by the first party's utility, best first."""
        first = self.utilities[self.pareto, 0]
        return self.pareto[np.lexsort((self.pareto, -first))]

    def to_dict(self, max_pareto: int | None = None) -> dict[str, Any]:
        """JSON-able findings; ``max_pareto`` caps the listed frontier (evenly sampled)."""
        if max_pareto is not None and max_pareto < 0:
            raise EngineInputError(f"max_pareto must be 0 or more, got {max_pareto}")
        if max_pareto is None:
            # Listing every frontier outcome builds Python objects per row: refuse over budget.
            per_row = BYTES_PER_LISTED_ROW * (len(self.space.issue_ids) + len(self.party_ids) + 1)
            check_memory(
                float(self.pareto.shape[0]) * per_row,
                f"listing all {self.pareto.shape[0]:,} efficient outcomes",
                "List fewer (--limit N, or --max-pareto N)",
            )
        order = self.frontier_order()
        if max_pareto is not None and order.shape[0] > max_pareto:
            # Even sample along the frontier, always keeping both ends when there is room.
            picks = np.unique(np.linspace(0, order.shape[0] - 1, max_pareto).round().astype(int))
            order = order[picks] if max_pareto > 0 else order[:0]
        solutions: dict[str, Any] = {
            name: None if index is None else {"index": index, **self.outcome_dict(index)}
            for name, index in self.solutions
        }
        if self.rubinstein is not None:
            rb = self.rubinstein
            solutions["rubinstein"] = {
                "index": rb.index,
                **self.outcome_dict(rb.index),
                "proposer": rb.proposer,
                "responder": rb.responder,
                "discounts": dict(zip((rb.proposer, rb.responder), rb.discounts, strict=True)),
                "share": rb.share,
                "target_utility": rb.target_utility,
            }
            if rb.outside_options is not None:
                solutions["rubinstein"]["outside_options"] = dict(
                    zip((rb.proposer, rb.responder), rb.outside_options, strict=True)
                )
                solutions["rubinstein"]["binds"] = {
                    rb.proposer: rb.regime in ("first", "both"),
                    rb.responder: rb.regime in ("second", "both"),
                }
        return {
            "scenario": self.scenario_id,
            "outcomes": self.n_outcomes,
            "parties": list(self.party_ids),
            "issues": list(self.space.issue_ids),
            "reservations": {p: float(self.reservations[j]) for j, p in enumerate(self.party_ids)},
            "pareto_size": int(self.pareto.shape[0]),
            "pareto_count": int(self.pareto.shape[0]),
            "pareto_listed": int(order.shape[0]),
            "pareto": [
                {**self.outcome_dict(int(i)), "in_zone": self.in_zone(int(i))} for i in order
            ],
            "zopa": {
                "size": self.zone_size,
                "fraction": self.zone_size / self.n_outcomes if self.n_outcomes else 0.0,
                "pareto_size": self.pareto_in_zone,
            },
            "solutions": solutions,
            "best": {p: self.outcome_dict(self.best[j]) for j, p in enumerate(self.party_ids)},
            "worst": {p: self.outcome_dict(self.worst[j]) for j, p in enumerate(self.party_ids)},
            "proposals": [
                {
                    "id": a.id,
                    "name": a.name,
                    "by": a.by,
                    "outcome": a.outcome,
                    "utilities": dict(zip(self.party_ids, a.utilities, strict=True)),
                    "in_zone": a.in_zone,
                    "on_frontier": a.on_frontier,
                    "shortfalls": a.shortfalls,
                    "better_for_all": None
                    if a.better_for_all is None
                    else {"index": a.better_for_all, **self.outcome_dict(a.better_for_all)},
                }
                for a in self.proposals
            ],
            "settings": {
                "utility_decimals": UTILITY_DECIMALS,
                "zone_tolerance": ZONE_ATOL,
                "tie_tolerance": TIE_RTOL,
            },
        }


def space_size(scenario: Scenario) -> int:
    """Number of outcomes, from the issues' cardinalities (nothing is allocated)."""
    return math.prod(issue.size for issue in scenario.issues)


def _check_inputs(scenario: Scenario, max_outcomes: int) -> None:
    if not scenario.issues:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no issues, so there is nothing to bargain over; add an "
            "'issues:' section and each party's 'preferences:' to analyse it"
        )
    if not scenario.preferences:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no preferences; add a 'preferences:' block per party "
            "(weights, values and a reservation value) to analyse it"
        )
    require_preferences(scenario)
    if max_outcomes < 1:
        raise EngineInputError(f"max_outcomes must be at least 1, got {max_outcomes}")
    n = space_size(scenario)
    if n > max_outcomes:
        sizes = ", ".join(f"{i.id}: {i.size:,}" for i in scenario.issues)
        raise EngineInputError(
            f"scenario '{scenario.id}' has {n:,} outcomes ({sizes}), more than the limit of "
            f"{max_outcomes:,}. Use a larger step on numeric issues or fewer options, or raise "
            "the limit (--max-outcomes) if this machine has the memory (about "
            f"{analysis_bytes(n, len(scenario.party_ids)) / 1e9:.1f} GB for this space)."
        )
    # Refuse before the outcome space is built (accord.budget explains the budget).
    check_memory(
        analysis_bytes(n, len(scenario.party_ids)),
        f"the bargaining analysis of scenario '{scenario.id}' ({n:,} outcomes × "
        f"{len(scenario.party_ids)} parties)",
        "Use a larger step on numeric issues, fewer options or fewer issues",
    )


def _rubinstein(
    scenario: Scenario,
    u: np.ndarray,
    r: np.ndarray,
    pareto: np.ndarray,
) -> RubinsteinSolution | None:
    if len(scenario.party_ids) != 2:
        return None
    first, second = scenario.party_ids
    options = [scenario.preferences[p].outside_option for p in (first, second)]
    with_options = any(o is not None for o in options)
    if not with_options and (len(scenario.issues) != 1 or not scenario.issues[0].numeric):
        return None
    d1p = scenario.preferences[first].discount
    d2p = scenario.preferences[second].discount
    if d1p is None or d2p is None:
        return None
    d1, d2 = d1p.point, d2p.point
    if d1 * d2 >= 1.0:  # no impatience: every split is an equilibrium
        return None
    idx = pareto[(u[pareto] >= r - ZONE_ATOL).all(axis=1)]
    if idx.shape[0] == 0:
        return None
    share = rubinstein_share(d1, d2)
    ideal_gain = float(u[idx, 0].max()) - float(r[0])
    w: tuple[float, float] | None = None
    regime = None
    if with_options:
        # Binmore, Shaked & Sutton (1989): each outside option as a share of its owner's gain
        span = u[idx].max(axis=0) - r
        shares = [
            float(np.clip((o.point - r[k]) / span[k], 0.0, 1.0)) if o and span[k] > 0 else 0.0
            for k, o in enumerate(options)
        ]
        w = (shares[0], shares[1])
        split = rubinstein_outside_options(d1, d2, w[0], w[1])
        if split is None:  # no bargaining surplus: the options leave nothing to share
            return None
        share, _, regime = split
    target = float(r[0]) + share * max(ideal_gain, 0.0)
    distance = np.abs(u[idx, 0] - target)
    # idx ascends, so argmin over distances tied within tolerance picks the lowest index.
    best = int(idx[np.argmax(distance <= distance.min() + TIE_RTOL)])
    return RubinsteinSolution(
        proposer=first,
        responder=second,
        discounts=(d1, d2),
        share=share,
        target_utility=target,
        index=best,
        outside_options=w,
        regime=regime,
    )


def _best_improvement(point: np.ndarray, u: np.ndarray, pareto: np.ndarray) -> int | None:
    """Frontier outcome dominating ``point`` with the largest smallest gain (ties: lowest index)."""
    gains = u[pareto] - point
    dominates = (gains >= 0).all(axis=1) & (gains > 0).any(axis=1)
    if not dominates.any():
        return None
    candidates = pareto[dominates]
    smallest = gains[dominates].min(axis=1)
    # pareto ascends, so the first maximum is the lowest index.
    return int(candidates[np.argmax(smallest >= smallest.max() - TIE_RTOL)])


def analyse(scenario: Scenario, *, max_outcomes: int = DEFAULT_MAX_OUTCOMES) -> AnalysisResult:
    """Bargaining analysis of a scenario (see the module docstring for the model).

    Raises EngineInputError when the scenario lacks issues or preferences, or when its outcome
    space has more than ``max_outcomes`` outcomes (checked before anything is allocated).
    """
    _check_inputs(scenario, max_outcomes)
    space = outcome_space(scenario)
    u = utility_matrix(scenario, space)
    np.round(u, UTILITY_DECIMALS, out=u)
    r = np.round(reservations(scenario), UTILITY_DECIMALS)
    front_mask = pareto_mask(u)
    pareto = np.flatnonzero(front_mask)
    zone = zopa_mask(u, r)
    zone_size = int(np.count_nonzero(zone))
    del zone
    pareto_in_zone = int(np.count_nonzero((u[pareto] >= r - ZONE_ATOL).all(axis=1)))
    solutions = tuple(solve_all(u, r, pareto=front_mask).items())
    best = tuple(best_outcomes(u, pareto=front_mask))
    worst = tuple(worst_outcomes(u))
    del front_mask

    frontier_u = u[pareto]
    assessments = []
    for prop in scenario.proposals:
        pu = np.round(outcome_utilities(scenario, prop.outcome), UTILITY_DECIMALS)
        dominated = bool(dominated_by_any(pu[None, :], frontier_u)[0])
        assessments.append(
            ProposalAssessment(
                id=prop.id,
                name=prop.name,
                by=prop.by,
                outcome=dict(prop.outcome),
                utilities=tuple(float(x) for x in pu),
                in_zone=bool((pu >= r - ZONE_ATOL).all()),
                on_frontier=not dominated,
                better_for_all=_best_improvement(pu, u, pareto) if dominated else None,
                shortfalls={
                    p: round(float(r[j] - pu[j]), UTILITY_DECIMALS)
                    for j, p in enumerate(scenario.party_ids)
                    if pu[j] < r[j] - ZONE_ATOL
                },
            )
        )
    return AnalysisResult(
        scenario_id=scenario.id,
        party_ids=scenario.party_ids,
        space=space,
        utilities=_frozen(u),
        reservations=_frozen(r),
        pareto=_frozen(pareto),
        zone_size=zone_size,
        pareto_in_zone=pareto_in_zone,
        solutions=solutions,
        rubinstein=_rubinstein(scenario, u, r, pareto),
        best=best,
        worst=worst,
        proposals=tuple(assessments),
    )
