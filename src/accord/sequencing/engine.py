"""Self-enforcing schedules: fewest rounds, widest margins, who blocks, and what it would take.

``find_schedule`` answers "is there an order and pace of reciprocal steps in which neither side
ever gains by stopping?" for the model of :mod:`accord.sequencing.problem`:

1. **Fewest rounds.** Feasibility is monotone in the horizon T: a schedule over T rounds stays
   feasible over T + 1 rounds with an idle first round (every later constraint is unchanged, and
   the idle round's right-hand side is β·q·[V − C + continuation] >= 0 because the old round-1
   constraint held and snapback never exceeds value received). So the smallest feasible T is
   found by bisection over 1..max_rounds, which returns the same T as searching upward.
2. **Widest margins.** At that T, the schedule maximises the smallest slack over every party and
   round (an LP, or a MILP with indivisible steps / ordering rules).
3. **Who blocks.** When no schedule exists within max_rounds, an elastic programme adds a
   violation e[i, t] >= 0 to every incentive constraint and minimises their sum. This is the
   "equivalent explanation" to a Farkas certificate the issue allows: its optimum is zero exactly
   when a schedule exists, and its violations show which constraints cannot be met together. The
   blocking party is the one with the larger total violation (the first-listed party on a tie),
   and the blocking round is that party's round of largest violation (the earliest on a tie).
   ``blocks_alone`` adds a robust, solution-independent test: whether a party's constraints are
   infeasible even if the other side would follow any schedule (its constraints dropped).
4. **What it would take.** For each party and lever, bisection finds the smallest value that makes
   a schedule exist within max_rounds, others held fixed: trust π_i in [0, 1]; completion value
   G_i; reversibility (a floor on the reversible fraction of every step the party owns, which
   strengthens the *other* side's snapback threat). Feasibility is monotone in G_i and in
   reversibility for every fixed schedule (both only add to right-hand sides); in trust it is
   monotone when nothing is reversible (by backward induction the continuation is non-negative
   and increasing in β), which the property tests check. With snapback it can fail: a party kept
   in by snapback alone may, when more patient, weigh the net costs still ahead more and stop
   (a counterexample is kept in the tests), so the trust threshold is then the bisection's answer
   under an assumption the CLI states.
5. **Who moves first.** For each party, the largest share of its total cost it could pay in round
   1 while the other side gives nothing in round 1, with a self-enforcing schedule still existing;
   zero means that party cannot open alone.

Example::

    >>> from accord.sequencing.problem import SequencingProblem
    >>> p = SequencingProblem.symmetric(beta=0.9, cost=1.0, value=2.0, completion=0.1)
    >>> find_schedule(p).rounds   # the issue's closed form gives ceil(3.74) = 4
    4
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from accord.sequencing.problem import SequencingProblem, slack_fast
from accord.sequencing.programme import Solution, is_mixed_integer, solve

LEVERS = ("trust", "completion_value", "reversibility")


@dataclass(frozen=True)
class Blocking:
    """The party whose incentive constraint cannot be met, and the round where it binds most."""

    party: str
    round: int
    violation: float

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "round": self.round, "violation": self.violation}


@dataclass(frozen=True)
class Schedule:
    """Answer of :func:`find_schedule`; ``shares`` is (steps, rounds), ``slack`` (2, rounds)."""

    party_ids: tuple[str, str]
    step_ids: tuple[str, ...]
    step_owner: tuple[str, ...]
    feasible: bool
    rounds: int | None
    max_rounds: int
    mixed_integer: bool
    shares: np.ndarray | None = None
    slack: np.ndarray | None = None
    violation: np.ndarray | None = None  # (2, max_rounds) when infeasible
    blocking: Blocking | None = None
    blocks_alone: dict[str, bool] = field(default_factory=dict)

    @property
    def min_slack(self) -> float | None:
        return None if self.slack is None else float(self.slack.min())

    def first_round(self) -> dict[str, int | None]:
        """Round (1-based) in which each party first gives something; None if never."""
        out: dict[str, int | None] = {}
        for pid in self.party_ids:
            if self.shares is None:
                out[pid] = None
                continue
            mine = np.array([o == pid for o in self.step_owner])
            active = np.flatnonzero(self.shares[mine].sum(axis=0) > 1e-9)
            out[pid] = int(active[0]) + 1 if active.size else None
        return out

    def first_movers(self) -> tuple[str, ...]:
        """The parties that give in the earliest round any party gives."""
        first = {p: r for p, r in self.first_round().items() if r is not None}
        if not first:
            return ()
        earliest = min(first.values())
        return tuple(p for p, r in first.items() if r == earliest)

    def rows(self) -> list[dict[str, Any]]:
        """The schedule as ``[{round, step, owner, share}]`` rows with a positive share."""
        if self.shares is None:
            return []
        out = []
        for t in range(self.shares.shape[1]):
            for k, sid in enumerate(self.step_ids):
                share = float(self.shares[k, t])
                if share > 1e-9:
                    out.append(
                        {"round": t + 1, "step": sid, "owner": self.step_owner[k], "share": share}
                    )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "feasible": self.feasible,
            "rounds": self.rounds,
            "max_rounds": self.max_rounds,
            "mixed_integer": self.mixed_integer,
            "schedule": self.rows(),
            "slack": {}
            if self.slack is None
            else {p: self.slack[i].tolist() for i, p in enumerate(self.party_ids)},
            "min_slack": self.min_slack,
            "first_round": self.first_round(),
            "first_movers": list(self.first_movers()),
            "blocking": None if self.blocking is None else self.blocking.to_dict(),
            "blocks_alone": dict(self.blocks_alone),
            "violation": {}
            if self.violation is None
            else {p: self.violation[i].tolist() for i, p in enumerate(self.party_ids)},
        }


@dataclass(frozen=True)
class Threshold:
    """Smallest value of one party's lever that makes a schedule exist (None: no value does)."""

    party: str
    lever: str
    current: float
    needed: float | None
    upper: float

    @property
    def met(self) -> bool:
        return self.needed is not None and self.current >= self.needed - 1e-9

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "lever": self.lever,
            "current": self.current,
            "needed": self.needed,
            "searched_up_to": self.upper,
            "met": self.met,
        }


@dataclass(frozen=True)
class Opening:
    """Largest share of its total cost a party can pay in round 1 while the other side waits."""

    party: str
    max_share: float | None  # None: no schedule even then

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "max_opening_share": self.max_share}


@dataclass(frozen=True)
class SequencingAnalysis:
    """Schedule, thresholds and first-move comparison for one problem."""

    schedule: Schedule
    thresholds: tuple[Threshold, ...]
    openings: tuple[Opening, ...]

    def to_dict(self) -> dict[str, Any]:
        out = self.schedule.to_dict()
        thresholds: dict[str, dict[str, Any]] = {}
        for th in self.thresholds:
            thresholds.setdefault(th.party, {})[th.lever] = th.to_dict()
        out["thresholds"] = thresholds
        out["openings"] = {o.party: o.to_dict() for o in self.openings}
        return out


def feasible_within(problem: SequencingProblem, rounds: int | None = None) -> bool:
    """Whether a self-enforcing schedule exists within ``rounds`` (default max_rounds)."""
    return solve(problem, rounds or problem.max_rounds, mode="feasible").feasible


def fewest_rounds(problem: SequencingProblem) -> int | None:
    """Smallest T <= max_rounds with a self-enforcing schedule (bisection; monotone in T)."""
    if not feasible_within(problem, problem.max_rounds):
        return None
    lo, hi = 0, problem.max_rounds  # invariant: infeasible at lo (or lo = 0), feasible at hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible_within(problem, mid):
            hi = mid
        else:
            lo = mid
    return hi


def find_schedule(problem: SequencingProblem) -> Schedule:
    """Fewest rounds, then the schedule with the largest smallest slack; or who blocks."""
    owners = tuple(problem.party_ids[int(o)] for o in problem.owner)
    mixed = is_mixed_integer(problem)
    base = Schedule(
        party_ids=problem.party_ids,
        step_ids=problem.step_ids,
        step_owner=owners,
        feasible=False,
        rounds=None,
        max_rounds=problem.max_rounds,
        mixed_integer=mixed,
    )
    rounds = fewest_rounds(problem)
    if rounds is not None:
        best: Solution = solve(problem, rounds, mode="max_slack")
        if not best.feasible or best.shares is None:  # pragma: no cover - solver disagreement
            best = solve(problem, rounds, mode="feasible")
        assert best.shares is not None
        return replace(
            base,
            feasible=True,
            rounds=rounds,
            shares=best.shares,
            slack=slack_fast(problem, best.shares),
        )
    elastic = solve(problem, problem.max_rounds, mode="elastic")
    assert elastic.violation is not None
    violation = np.where(elastic.violation > 1e-9, elastic.violation, 0.0)
    party = int(np.argmax(violation.sum(axis=1)))  # argmax keeps the first on ties
    round_index = int(np.argmax(violation[party]))
    alone = {
        pid: not _feasible_for_one_party(problem, i) for i, pid in enumerate(problem.party_ids)
    }
    return replace(
        base,
        violation=violation,
        blocking=Blocking(
            problem.party_ids[party], round_index + 1, float(violation[party, round_index])
        ),
        blocks_alone=alone,
    )


def _feasible_for_one_party(problem: SequencingProblem, party: int) -> bool:
    """Feasibility with the other party's constraints switched off (it would follow any plan).

    Switching off j's constraints: a large prize G_j with q_j = 1 and β_j = 1 makes every one of
    j's right-hand sides at least the prize, which dominates any cost. With β_j = q_j = 1,
    j's slack is at least G_j − 2·(j's total cost), so four times (all costs + values + 1) is
    more than enough.
    """
    other = 1 - party
    big = float(problem.cost.sum() + problem.value.sum() + 1.0) * 4.0
    relaxed = problem.with_party_value(other, "completion", big)
    relaxed = relaxed.with_party_value(other, "trust", 1.0)
    relaxed = relaxed.with_party_value(other, "patience", 1.0)
    relaxed = relaxed.with_party_value(party, "detection", 1.0)  # j is checked by party's eyes
    return feasible_within(relaxed)


def _bisect(
    check: Any, lo: float, hi: float, *, rel_tol: float = 1e-4, abs_tol: float = 1e-6
) -> float | None:
    """Smallest x in [lo, hi] with check(x) true, assuming monotonicity; None if check(hi) fails."""
    if not check(hi):
        return None
    if check(lo):
        return lo
    for _ in range(80):
        if hi - lo <= abs_tol + rel_tol * hi:
            break
        mid = 0.5 * (lo + hi)
        if check(mid):
            hi = mid
        else:
            lo = mid
    return hi


def thresholds(problem: SequencingProblem) -> tuple[Threshold, ...]:
    """Per party: the smallest trust, completion value and reversibility that make a schedule
    exist within max_rounds, each lever moved alone."""
    out: list[Threshold] = []
    horizon = problem.max_rounds
    for i, pid in enumerate(problem.party_ids):

        def trust_ok(x: float, i: int = i) -> bool:
            return feasible_within(problem.with_party_value(i, "trust", x))

        out.append(
            Threshold(pid, "trust", float(problem.trust[i]), _bisect(trust_ok, 0.0, 1.0), 1.0)
        )

        # Upper end for G_i: with prize G every one of i's slacks is at least
        # q·β^(T−1)·G − (1 + q)·(i's total cost), so this G satisfies all of them.
        q = float(problem.checked_by_other[i])
        reach = q * float(problem.beta[i]) ** (horizon - 1)
        own_cost = float(problem.cost[problem.owner == i].sum())
        g_hi = min((2.0 * own_cost + 1e-9) / reach, 1e9) if reach > 1e-300 else 0.0
        g_hi = max(g_hi, float(problem.completion[i]))

        def prize_ok(x: float, i: int = i) -> bool:
            return feasible_within(problem.with_party_value(i, "completion", x))

        out.append(
            Threshold(
                pid,
                "completion_value",
                float(problem.completion[i]),
                _bisect(prize_ok, 0.0, g_hi),
                g_hi,
            )
        )
        mine = problem.owner == i
        current_rev = float(problem.reversible[mine].min()) if mine.any() else 0.0

        def rev_ok(x: float, i: int = i) -> bool:
            return feasible_within(problem.with_reversibility_floor(i, x))

        needed = _bisect(rev_ok, 0.0, 1.0) if mine.any() else None
        out.append(Threshold(pid, "reversibility", current_rev, needed, 1.0))
    return tuple(out)


def openings(problem: SequencingProblem) -> tuple[Opening, ...]:
    """For each party, the largest round-1 cost share it can pay while the other side waits."""
    out = []
    for i, pid in enumerate(problem.party_ids):
        sol = solve(problem, problem.max_rounds, mode="opening", silent_first=1 - i)
        if not sol.feasible or sol.objective is None:
            out.append(Opening(pid, None))
        else:
            out.append(Opening(pid, max(0.0, -sol.objective)))
    return tuple(out)


def analyse(problem: SequencingProblem, *, with_thresholds: bool = True) -> SequencingAnalysis:
    """Schedule, the thresholds that would make one exist, and the first-move comparison."""
    schedule = find_schedule(problem)
    return SequencingAnalysis(
        schedule=schedule,
        thresholds=thresholds(problem) if with_thresholds else (),
        openings=openings(problem),
    )


def closed_form_rounds(beta: float, cost: float, value: float, completion: float) -> float | None:
    """The issue's closed form for the symmetric linear case with one unit step each (Z = 1).

    T* = ceil(ln(1 + c·(κ − 1)/G) / ln κ) with κ = β·v/c; for κ <= 1 a schedule exists only if
    G > c·(1 − κ). Returns None when no finite T works. Kept here for the CLI's explanation and
    used by the tests as the outside reference.
    """
    if completion <= 0:
        return None
    kappa = beta * value / cost
    if math.isclose(kappa, 1.0):
        return float(math.ceil(cost / completion - 1e-12))  # limit κ → 1: T·G >= c
    inside = 1.0 + cost * (kappa - 1.0) / completion
    if inside <= 1e-12:  # G <= c·(1 − κ), up to round-off: no finite horizon suffices
        return None
    return float(math.ceil(math.log(inside) / math.log(kappa) - 1e-12))
