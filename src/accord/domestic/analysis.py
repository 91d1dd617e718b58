"""Two-level analysis of a scenario: win-sets, the two-level zone, tying hands, linkage, plan B.

Model (Putnam 1988, "Diplomacy and domestic politics: the logic of two-level games",
International Organization 42(3), pp. 427-460): a deal must lie in the zone of possible agreement
of the leaders and in every party's win-set (:mod:`accord.domestic.winsets`). On top of that:

* **Solutions** – Nash, Kalai–Smorodinsky, utilitarian and egalitarian over the international
  zone (``solutions``) and over the two-level zone (``two_level_solutions``).
* **Proposals** – per named proposal, whether each side ratifies it, which ratifiers vote no on a
  side that fails (``blocked_by``), and the probability of ratification under the uncertain
  thresholds (:mod:`accord.domestic.probability`): exact from the CDFs when only thresholds are
  uncertain, sampled with a seed when a ratifier's weights or values are uncertain too.
* **Tying hands** (Schelling 1960, *The Strategy of Conflict*, ch. 2; Putnam 1988, p. 440): for
  each side, the Nash solution when only that side's win-set constrains the deal, and how much
  that moves the side's own leader's utility relative to the unconstrained Nash solution – what a
  negotiator gains by pointing to the constraint at home.
* **Openings** – where the two-level zone is empty but the international zone is not: for each
  ratifier, the smallest cut in its reservation value, and the smallest change of one issue
  weight (in normalised weight share), that would let one package of the international zone pass
  every side's rule.
* **Synergistic linkage** (Putnam 1988, p. 447): for a blocked proposal, the packages that differ
  in one issue's option, win the blocking ratifier over and keep both leaders at or above their
  reservation values.
* **Outside options** (Binmore, Shaked & Sutton 1989; :mod:`accord.domestic.outside`): when a
  party's preferences give ``outside_option``, the Rubinstein split with outside options on the
  surplus of the international zone, each party's gain normalised by its largest gain there
  (the first listed party proposes first, as in :mod:`accord.bargaining.analysis`).

Utilities are rounded to 12 decimals, as in the bargaining engine, so that ties on paper are ties.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np

from accord.domestic.outside import OutsideOptionSplit, outside_option_split
from accord.domestic.probability import (
    approval_probability,
    pass_probability,
    sample_param,
)
from accord.domestic.winsets import (
    ZONE_ATOL,
    approvals,
    descending_order,
    required_votes,
    solve_masked,
    vote_tally,
    zone_mask,
)
from accord.errors import EngineInputError
from accord.scenario.domestic import DomesticSide, Ratifier
from accord.scenario.model import Issue, Proposal, Scenario
from accord.scenario.outcomes import (
    OutcomeSpace,
    numeric_value,
    outcome_space,
    outcome_utilities,
    party_issue_tables,
    require_preferences,
    reservations,
    utility_matrix,
)

UTILITY_DECIMALS = 12
MAX_LISTED = 10_000
"""At most this many packages of a win-set are listed in the JSON (the count is always given)."""
DEFAULT_SAMPLES = 10_000
DEFAULT_MAX_OUTCOMES = 20_000_000
MAX_LINKS = 20


# --- ratifier utilities ---------------------------------------------------------------------------
def ratifier_table(rat: Ratifier, issue: Issue) -> np.ndarray:
    """The ratifier's value v_j of each of the issue's values (0 where it gives no values)."""
    vf = rat.values.get(issue.id)
    if vf is None:
        return np.zeros(issue.size)
    if issue.options is not None:
        return np.array([vf[o].point for o in issue.options], dtype=np.float64)
    return numeric_value(issue, vf, issue.grid())


def _additive(parts: list[np.ndarray]) -> np.ndarray:
    m = len(parts)
    shaped = [t.reshape((1,) * j + (-1,) + (1,) * (m - j - 1)) for j, t in enumerate(parts)]
    return np.asarray(reduce(np.add, shaped), dtype=np.float64).reshape(-1)


def ratifier_utilities(scenario: Scenario, rat: Ratifier) -> np.ndarray:
    """The ratifier's utility of every package (n,), linear additive as a party's."""
    w = rat.normalised_weights()
    return _additive([w.get(i.id, 0.0) * ratifier_table(rat, i) for i in scenario.issues])


def ratifier_utility_of(
    scenario: Scenario,
    rat: Ratifier,
    outcome: Mapping[str, str | float],
    weights: Mapping[str, float] | None = None,
    values: Mapping[tuple[str, str], float] | None = None,
) -> float:
    """One package's utility to a ratifier (off-grid numeric values allowed); optional sampled
    weights and option values override the point values."""
    raw = weights or {k: p.point for k, p in rat.weights.items()}
    total_w = sum(raw.values())
    total = 0.0
    for issue in scenario.issues:
        wj = raw.get(issue.id, 0.0)
        if wj == 0.0:
            continue
        vf = rat.values[issue.id]
        v = outcome[issue.id]
        if issue.options is not None:
            key = (issue.id, str(v))
            total += wj * (values[key] if values and key in values else vf[str(v)].point)
        else:
            total += wj * float(numeric_value(issue, vf, np.array([float(v)]))[0])
    return total / total_w


# --- results --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SideInfo:
    party: str
    party_name: str
    rule: str
    quota: float | None
    need: int
    total_votes: int
    ratifier_ids: tuple[str, ...]
    ratifier_names: tuple[str, ...]
    votes: tuple[int, ...]
    thresholds: tuple[float, ...]
    win_set_size: int
    win_set_listed: tuple[int, ...]


@dataclass(frozen=True)
class ProposalResult:
    id: str
    name: str | None
    outcome: dict[str, str | float]
    utilities: dict[str, float]
    in_zone: bool
    ratified: dict[str, bool]
    votes_no: dict[str, tuple[str, ...]]
    blocked_by: tuple[tuple[str, str], ...]
    p_ratification: dict[str, float]
    p_all: float
    method: str


@dataclass(frozen=True)
class TyingHands:
    party: str
    nash_alone: int | None
    shift: float | None
    """Own leader's utility at the Nash solution under its own win-set minus unconstrained."""


@dataclass(frozen=True)
class Opening:
    party: str
    ratifier: str
    kind: str  # "reservation" or "weight"
    issue: str | None
    current: float
    needed: float
    change: float
    package: int


@dataclass(frozen=True)
class Link:
    proposal: str
    party: str
    ratifier: str
    issue: str
    option: str | float
    package: int
    ratifier_utility: float
    side_ratifies: bool
    all_ratify: bool


@dataclass(frozen=True)
class PlanB:
    party: str
    outside_option: float
    normalised: float
    binds: bool
    share: float
    utility: float
    nash_utility: float | None


@dataclass(frozen=True)
class RatifyResult:
    """Everything :func:`ratify` finds; ``to_dict`` gives the JSON of ``accord ratify --json``."""

    scenario_id: str
    party_ids: tuple[str, ...]
    party_names: dict[str, str]
    space: OutcomeSpace
    utilities: np.ndarray = field(repr=False)
    reservations: np.ndarray = field(repr=False)
    sides: tuple[SideInfo, ...]
    zone_international: int
    zone_two_level: int
    solutions: dict[str, int | None]
    two_level_solutions: dict[str, int | None]
    proposals: tuple[ProposalResult, ...]
    tying_hands: tuple[TyingHands, ...]
    openings: tuple[Opening, ...]
    links: tuple[Link, ...]
    split: OutsideOptionSplit | None
    plan_b: tuple[PlanB, ...]
    seed: int
    samples: int
    solution_p: dict[str, float] = field(default_factory=dict)
    """P(both sides ratify) of the unconstrained (``nash``) and two-level (``two_level_nash``)
    Nash packages."""
    carries: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    """Per party: the issue whose weighted value contributes most to its utility of the
    two-level Nash package, that contribution, and the utility (what carries the result)."""
    issue_names: dict[str, str] = field(default_factory=dict)
    option_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    proposal_names: dict[str, str] = field(default_factory=dict)

    def option_text(self, issue: str, option: str | float) -> str:
        """``Lift all UN sanctions`` for a labelled option, ``share: 0.4`` otherwise."""
        label = self.option_labels.get(issue, {}).get(str(option))
        if label is not None:
            return label
        shown = f"{option:g}" if isinstance(option, float) else str(option)
        return f"{self.issue_names.get(issue, issue)}: {shown}"

    def name(self, pid: str) -> str:
        return self.party_names.get(pid, pid)

    def ratifier_name(self, party: str, rid: str) -> str:
        for s in self.sides:
            if s.party == party and rid in s.ratifier_ids:
                return s.ratifier_names[s.ratifier_ids.index(rid)]
        return rid

    def outcome_dict(self, index: int) -> dict[str, Any]:
        row = self.utilities[index]
        return {
            "index": int(index),
            "outcome": self.space.decode(int(index)),
            "utilities": {p: float(row[j]) for j, p in enumerate(self.party_ids)},
        }

    def to_dict(self) -> dict[str, Any]:
        def sol(d: dict[str, int | None]) -> dict[str, Any]:
            return {k: None if v is None else self.outcome_dict(v) for k, v in d.items()}

        return {
            "scenario": self.scenario_id,
            "outcomes": int(self.utilities.shape[0]),
            "parties": list(self.party_ids),
            "win_sets": {
                s.party: {
                    "size": s.win_set_size,
                    "listed": len(s.win_set_listed),
                    "packages": _decode_many(self.space, s.win_set_listed),
                    "rule": s.rule,
                    "quota": s.quota,
                    "votes_needed": s.need,
                    "votes_total": s.total_votes,
                    "ratifiers": [
                        {"id": rid, "name": nm, "votes": v, "reservation": t}
                        for rid, nm, v, t in zip(
                            s.ratifier_ids, s.ratifier_names, s.votes, s.thresholds, strict=True
                        )
                    ],
                }
                for s in self.sides
            },
            "zone": {"international": self.zone_international, "two_level": self.zone_two_level},
            "solutions": sol(self.solutions),
            "two_level_solutions": sol(self.two_level_solutions),
            "proposals": [
                {
                    "id": p.id,
                    "name": p.name,
                    "outcome": p.outcome,
                    "utilities": p.utilities,
                    "in_zone": p.in_zone,
                    "ratified": p.ratified,
                    "votes_no": {k: list(v) for k, v in p.votes_no.items()},
                    "blocked_by": [{"party": a, "ratifier": b} for a, b in p.blocked_by],
                    "p_ratification": {**p.p_ratification, "all": p.p_all},
                    "probability_method": p.method,
                }
                for p in self.proposals
            ],
            "tying_hands": [
                {
                    "party": t.party,
                    "nash": None if t.nash_alone is None else self.outcome_dict(t.nash_alone),
                    "shift": t.shift,
                }
                for t in self.tying_hands
            ],
            "openings": [
                {
                    "party": o.party,
                    "ratifier": o.ratifier,
                    "kind": o.kind,
                    "issue": o.issue,
                    "current": o.current,
                    "needed": o.needed,
                    "change": o.change,
                    "package": self.outcome_dict(o.package),
                }
                for o in self.openings
            ],
            "linkage": [
                {
                    "proposal": lk.proposal,
                    "party": lk.party,
                    "ratifier": lk.ratifier,
                    "issue": lk.issue,
                    "option": lk.option,
                    "package": self.outcome_dict(lk.package),
                    "ratifier_utility": lk.ratifier_utility,
                    "side_ratifies": lk.side_ratifies,
                    "all_ratify": lk.all_ratify,
                }
                for lk in self.links
            ],
            "outside_options": None
            if self.split is None
            else {
                "split": self.split.to_dict(),
                "parties": [
                    {
                        "party": b.party,
                        "outside_option": b.outside_option,
                        "normalised": b.normalised,
                        "binds": b.binds,
                        "share": b.share,
                        "utility": b.utility,
                        "nash_utility": b.nash_utility,
                    }
                    for b in self.plan_b
                ],
            },
            "p_ratification_of_solutions": self.solution_p,
            "carries": {
                p: {"issue": i, "contribution": c, "utility": t}
                for p, (i, c, t) in self.carries.items()
            },
            "settings": {"seed": self.seed, "samples": self.samples},
        }


def _decode_many(space: OutcomeSpace, indices: tuple[int, ...]) -> list[dict[str, str | float]]:
    if not indices:
        return []
    digits = np.unravel_index(np.asarray(indices, dtype=np.int64), space.sizes)
    columns: list[list[str | float]] = []
    for j, issue in enumerate(space.issues):
        d = digits[j]
        if issue.options is not None:
            columns.append([issue.options[int(k)] for k in d])
        else:
            grid = issue.grid()
            columns.append([round(float(grid[int(k)]), 12) for k in d])
    ids = space.issue_ids
    return [dict(zip(ids, row, strict=True)) for row in zip(*columns, strict=True)]


# --- the analysis ---------------------------------------------------------------------------------
@dataclass
class _Side:
    section: DomesticSide
    pidx: int
    utilities: np.ndarray  # (n, m)
    thresholds: np.ndarray
    votes: np.ndarray
    need: int
    tally: np.ndarray
    win: np.ndarray


def _uncertain_preferences(rat: Ratifier) -> bool:
    if any(w.uncertain for w in rat.weights.values()):
        return True
    return any(
        isinstance(vf, dict) and any(p.uncertain for p in vf.values()) for vf in rat.values.values()
    )


def ratify(
    scenario: Scenario,
    *,
    seed: int = 0,
    samples: int = DEFAULT_SAMPLES,
    max_outcomes: int = DEFAULT_MAX_OUTCOMES,
) -> RatifyResult:
    """The two-level analysis of a scenario with a ``domestic:`` section (see the module doc)."""
    if scenario.domestic is None:
        raise EngineInputError(
            f"scenario '{scenario.id}' has no 'domestic:' section; list each party's ratifiers "
            "(weights, values, reservation) and its rule (all, majority or {quota: q})"
        )
    require_preferences(scenario)
    if samples < 1:
        raise EngineInputError(f"samples must be at least 1, got {samples}")
    n = math.prod(i.size for i in scenario.issues) if scenario.issues else 0
    if n > max_outcomes:
        raise EngineInputError(
            f"scenario '{scenario.id}' has {n:,} packages, more than the limit of "
            f"{max_outcomes:,}; use a larger step on numeric issues or fewer options"
        )
    space = outcome_space(scenario)
    pids = scenario.party_ids
    names = {p.id: p.name for p in scenario.parties}
    u = utility_matrix(scenario, space)
    np.round(u, UTILITY_DECIMALS, out=u)
    r = np.round(reservations(scenario), UTILITY_DECIMALS)
    zone = zone_mask(u, r)

    sides: list[_Side] = []
    for sec in scenario.domestic:
        if sec.party not in pids:
            raise EngineInputError(f"domestic: '{sec.party}' is not a party at the table")
        ru = np.empty((space.n, len(sec.ratifiers)), dtype=np.float64)
        for j, rat in enumerate(sec.ratifiers):
            ru[:, j] = ratifier_utilities(scenario, rat)
        np.round(ru, UTILITY_DECIMALS, out=ru)
        thresholds = np.array([rat.reservation.point for rat in sec.ratifiers])
        votes = np.array([rat.votes for rat in sec.ratifiers], dtype=np.int64)
        need = required_votes(sec.rule_name, int(votes.sum()), sec.quota)
        tally = vote_tally(approvals(ru, thresholds), votes)
        sides.append(
            _Side(sec, pids.index(sec.party), ru, thresholds, votes, need, tally, tally >= need)
        )

    home = np.ones(space.n, dtype=bool)
    for s in sides:
        home &= s.win
    two_level = zone & home
    order = descending_order(u)
    solutions = solve_masked(u, r, None, order=order)
    two_level_solutions = solve_masked(u, r, home, order=order)

    side_infos = tuple(
        SideInfo(
            party=s.section.party,
            party_name=names.get(s.section.party, s.section.party),
            rule=s.section.rule_name,
            quota=s.section.quota,
            need=s.need,
            total_votes=int(s.votes.sum()),
            ratifier_ids=tuple(rat.id for rat in s.section.ratifiers),
            ratifier_names=tuple(rat.name or rat.id for rat in s.section.ratifiers),
            votes=tuple(int(v) for v in s.votes),
            thresholds=tuple(float(t) for t in s.thresholds),
            win_set_size=int(np.count_nonzero(s.win)),
            win_set_listed=tuple(int(i) for i in np.flatnonzero(s.win)[:MAX_LISTED]),
        )
        for s in sides
    )

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    proposals = tuple(_proposal(scenario, p, sides, r, rng, samples) for p in scenario.proposals)

    nash = solutions["nash"]
    solution_p: dict[str, float] = {}
    for key, index in (("nash", nash), ("two_level_nash", two_level_solutions["nash"])):
        if index is not None:
            pseudo = Proposal(id="solution", outcome=space.decode(index))
            solution_p[key] = _proposal(scenario, pseudo, sides, r, rng, samples).p_all
    tying = []
    for s in sides:
        alone = solve_masked(u, r, s.win, names=("nash",), order=order)["nash"]
        shift = (
            None
            if alone is None or nash is None
            else round(float(u[alone, s.pidx] - u[nash, s.pidx]), UTILITY_DECIMALS)
        )
        tying.append(TyingHands(s.section.party, alone, shift))

    openings: list[Opening] = []
    if not two_level.any() and zone.any():
        openings = _openings(scenario, sides, zone)

    links = _links(scenario, space, proposals, sides, zone)
    split, plan_b = _plan_b(scenario, u, r, zone, nash)
    return RatifyResult(
        scenario_id=scenario.id,
        party_ids=pids,
        party_names=names,
        space=space,
        utilities=u,
        reservations=r,
        sides=side_infos,
        zone_international=int(np.count_nonzero(zone)),
        zone_two_level=int(np.count_nonzero(two_level)),
        solutions=solutions,
        two_level_solutions=two_level_solutions,
        proposals=proposals,
        tying_hands=tuple(tying),
        openings=tuple(openings),
        links=tuple(links),
        split=split,
        plan_b=plan_b,
        seed=seed,
        samples=samples,
        solution_p=solution_p,
        carries=_carries(scenario, space, two_level_solutions["nash"]),
        issue_names={i.id: i.name or i.id for i in scenario.issues},
        option_labels={i.id: dict(i.labels) for i in scenario.issues},
        proposal_names={p.id: p.name or p.id for p in scenario.proposals},
    )


def _carries(
    scenario: Scenario, space: OutcomeSpace, index: int | None
) -> dict[str, tuple[str, float, float]]:
    """The largest additive part w_pj · v_pj(x_j) of each leader's utility of package ``index``."""
    if index is None:
        return {}
    digits = np.unravel_index(index, space.sizes)
    out = {}
    for pid, parts in zip(scenario.party_ids, party_issue_tables(scenario), strict=True):
        values = [float(t[int(d)]) for t, d in zip(parts, digits, strict=True)]
        j = int(np.argmax(values))
        out[pid] = (space.issue_ids[j], round(values[j], 12), round(sum(values), 12))
    return out


def _proposal(
    scenario: Scenario,
    prop: Proposal,
    sides: list[_Side],
    r: np.ndarray,
    rng: np.random.Generator,
    samples: int,
) -> ProposalResult:
    pu = np.round(outcome_utilities(scenario, prop.outcome), UTILITY_DECIMALS)
    ratified: dict[str, bool] = {}
    votes_no: dict[str, tuple[str, ...]] = {}
    blocked: list[tuple[str, str]] = []
    p_side: dict[str, float] = {}
    sampled = any(_uncertain_preferences(rat) for s in sides for rat in s.section.ratifiers)
    for s in sides:
        rats = s.section.ratifiers
        ru = np.array(
            [
                round(ratifier_utility_of(scenario, rat, prop.outcome), UTILITY_DECIMALS)
                for rat in rats
            ]
        )
        yes = ru >= s.thresholds - ZONE_ATOL
        ok = int(s.votes[yes].sum()) >= s.need
        party = s.section.party
        ratified[party] = ok
        votes_no[party] = tuple(rat.id for rat, y in zip(rats, yes, strict=True) if not y)
        if not ok:
            blocked += [(party, rid) for rid in votes_no[party]]
        if sampled:
            p_side[party] = _sampled_pass(scenario, prop.outcome, s, rng, samples)
        else:
            p = np.array(
                [
                    approval_probability(rat.reservation, ru[j : j + 1])[0]
                    for j, rat in enumerate(rats)
                ]
            )
            p_side[party] = float(pass_probability(p[None, :], s.votes, s.need)[0])
    # sides ratify independently (their ratifiers' thresholds are independent)
    p_all = float(np.prod(list(p_side.values()))) if p_side else 1.0
    return ProposalResult(
        id=prop.id,
        name=prop.name,
        outcome=dict(prop.outcome),
        utilities={p: float(pu[j]) for j, p in enumerate(scenario.party_ids)},
        in_zone=bool((pu >= r - ZONE_ATOL).all()),
        ratified=ratified,
        votes_no=votes_no,
        blocked_by=tuple(blocked),
        p_ratification=p_side,
        p_all=p_all,
        method="sampled" if sampled else "exact",
    )


def _sampled_pass(
    scenario: Scenario,
    outcome: Mapping[str, str | float],
    side: _Side,
    rng: np.random.Generator,
    samples: int,
) -> float:
    """Monte Carlo P(side ratifies): weights, option values and thresholds drawn independently."""
    tally = np.zeros(samples, dtype=np.int64)
    for j, rat in enumerate(side.section.ratifiers):
        w = {k: np.maximum(sample_param(p, rng, samples), 0.0) for k, p in rat.weights.items()}
        num = np.zeros(samples)
        for issue in scenario.issues:
            if issue.id not in w or issue.id not in rat.values:
                continue
            vf = rat.values[issue.id]
            v = outcome[issue.id]
            if issue.options is not None:
                val = np.clip(sample_param(vf[str(v)], rng, samples), 0.0, 1.0)
            else:
                val = np.full(samples, float(numeric_value(issue, vf, np.array([float(v)]))[0]))
            num += w[issue.id] * val
        den = sum(w.values())
        util = np.divide(num, den, out=np.zeros(samples), where=den > 0)
        thr = sample_param(rat.reservation, rng, samples)
        tally += (util >= thr - ZONE_ATOL) * int(side.votes[j])
    return float(np.mean(tally >= side.need))


def _openings(scenario: Scenario, sides: list[_Side], zone: np.ndarray) -> list[Opening]:
    """Smallest one-ratifier changes that open an empty two-level zone (module docstring)."""
    out: list[Opening] = []
    for s in sides:
        others = zone.copy()
        for other in sides:
            if other is not s:
                others &= other.win
        for j, rat in enumerate(s.section.ratifiers):
            v = int(s.votes[j])
            yes_j = s.utilities[:, j] >= s.thresholds[j] - ZONE_ATOL
            tally_without = s.tally - np.where(yes_j, v, 0)
            cand = np.flatnonzero(others & (tally_without + v >= s.need))
            if cand.shape[0] == 0:
                continue
            uj = s.utilities[cand, j]
            k = int(np.argmax(uj))
            best = float(uj[k])
            out.append(
                Opening(
                    s.section.party,
                    rat.id,
                    "reservation",
                    None,
                    float(s.thresholds[j]),
                    best,
                    round(best - float(s.thresholds[j]), UTILITY_DECIMALS),
                    int(cand[k]),
                )
            )
            raw = {key: p.point for key, p in rat.weights.items()}
            total = sum(raw.values())
            gap = total * (uj - s.thresholds[j])  # a(x) < 0 on every candidate
            best_w: tuple[float, str, float, int] | None = None
            for issue in scenario.issues:
                table = ratifier_table(rat, issue)
                digits = np.unravel_index(cand, tuple(i.size for i in scenario.issues))
                vj = table[digits[[i.id for i in scenario.issues].index(issue.id)]]
                b = s.thresholds[j] - vj
                wj = raw.get(issue.id, 0.0)
                with np.errstate(divide="ignore", invalid="ignore"):
                    t = np.where(b != 0, gap / np.where(b != 0, b, 1.0), np.nan)
                feasible = np.isfinite(t) & (wj + t >= 0) & (total + t > 1e-12) & (gap < 0)
                if not feasible.any():
                    continue
                share_now = wj / total
                share_new = (wj + t[feasible]) / (total + t[feasible])
                delta = share_new - share_now
                m = int(np.argmin(np.abs(delta)))
                if best_w is None or abs(delta[m]) < abs(best_w[0]):
                    best_w = (
                        float(delta[m]),
                        issue.id,
                        float(share_new[m]),
                        int(cand[feasible][m]),
                    )
            if best_w is not None:
                d, iid, new_share, pkg = best_w
                out.append(
                    Opening(
                        s.section.party,
                        rat.id,
                        "weight",
                        iid,
                        round(new_share - d, 12),
                        round(new_share, 12),
                        round(d, 12),
                        pkg,
                    )
                )
    out.sort(key=lambda o: (abs(o.change), o.kind, o.party, o.ratifier))
    return out


def _links(
    scenario: Scenario,
    space: OutcomeSpace,
    proposals: tuple[ProposalResult, ...],
    sides: list[_Side],
    zone: np.ndarray,
) -> list[Link]:
    """Synergistic linkage: one-issue changes to a blocked proposal that win a blocker over."""
    out: list[Link] = []
    by_party = {s.section.party: s for s in sides}
    home = np.ones(space.n, dtype=bool)
    for s in sides:
        home &= s.win
    strides = np.cumprod((1, *reversed(space.sizes[1:])))[::-1]
    for prop in proposals:
        base = space.encode(prop.outcome)
        digits = np.unravel_index(base, space.sizes)
        for party, rid in prop.blocked_by:
            s = by_party[party]
            j = [rat.id for rat in s.section.ratifiers].index(rid)
            found = 0
            for k, issue in enumerate(space.issues):
                alt = np.arange(issue.size)
                alt = alt[alt != int(digits[k])]
                idx = base + (alt - int(digits[k])) * int(strides[k])
                ok = (s.utilities[idx, j] >= s.thresholds[j] - ZONE_ATOL) & zone[idx]
                for i in idx[ok]:
                    if found >= MAX_LINKS:
                        break
                    decoded = space.decode(int(i))
                    out.append(
                        Link(
                            prop.id,
                            party,
                            rid,
                            issue.id,
                            decoded[issue.id],
                            int(i),
                            float(s.utilities[i, j]),
                            bool(s.win[i]),
                            bool(home[i]),
                        )
                    )
                    found += 1
    return out


def _plan_b(
    scenario: Scenario, u: np.ndarray, r: np.ndarray, zone: np.ndarray, nash: int | None
) -> tuple[OutsideOptionSplit | None, tuple[PlanB, ...]]:
    pids = scenario.party_ids
    prefs = [scenario.preferences[p] for p in pids]
    if len(pids) != 2 or all(p.outside_option is None for p in prefs) or not zone.any():
        return None, ()
    discounts = [p.discount.point if p.discount is not None else None for p in prefs]
    if None in discounts:
        raise EngineInputError(
            "an outside option is given but a party has no discount factor; give both parties "
            "'discount:' in preferences for the Rubinstein split with outside options"
        )
    ideal = np.array([np.max(u[:, k], where=zone, initial=-np.inf) for k in range(2)])
    span = ideal - r
    w_raw = [p.outside_option.point if p.outside_option is not None else 0.0 for p in prefs]
    w = [
        float(np.clip((w_raw[k] - r[k]) / span[k], 0.0, 1.0)) if span[k] > 0 else 0.0
        for k in range(2)
    ]
    split = outside_option_split(discounts[0], discounts[1], w[0], w[1])  # type: ignore[arg-type]
    plan = []
    for k, pid in enumerate(pids):
        if prefs[k].outside_option is None:
            continue
        if split.surplus:
            assert split.x is not None
            share = split.x if k == 0 else 1.0 - split.x  # the first party proposes
            binds = split.binds_a if k == 0 else split.binds_b
        else:
            share, binds = w[k], True
        plan.append(
            PlanB(
                pid,
                w_raw[k],
                w[k],
                binds,
                share,
                float(r[k] + share * span[k]),
                None if nash is None else float(u[nash, k]),
            )
        )
    return split, tuple(plan)
