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

Under the issue-15 model (``within_round: sequential``, credible snapback, first-move costs,
Bayesian trust; docs/models.md) three things change:

* **First movers.** Each round has a first mover, exposed to the other's defection for that step.
  With ``first_mover: auto`` the engine searches four patterns (each party first in every round,
  and alternation starting with either) and keeps the one with the widest margin; a scenario can
  fix ``alternate`` or one party.
* **No bisection in T.** A first-move cost is paid in every round a party moves first, so one
  more round can break a schedule; the fewest rounds are found by scanning T = 1, 2, ... and
  "a schedule exists within max_rounds" means some T <= max_rounds works. The issue-6 model (the
  problem's defaults) keeps the bisection and its proof above.
* **Bayesian trust is a fixed point.** The trust path depends on the schedule (how costly each
  completed move is) and the schedule on the trust path, so for each T and pattern the programme
  is solved with the trust path of the previous solution, damped (at most ``BAYES_ITERATIONS``
  solves); the first schedule that is self-enforcing under its own trust path is accepted. A
  schedule found is therefore exact, while "none found" is the iteration's verdict, not a proof.
* **Thresholds over the whole range.** With snapback or first-move costs a lever can be
  non-monotone, so each lever is scanned on a grid over its whole range and the edges refined by
  bisection between neighbouring grid points; for a feasible problem the result is the interval
  around the current value in which a schedule still exists.

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

from accord.budget import Progress, check_memory, refuse_over, resolve
from accord.sequencing.problem import (
    SequencingProblem,
    mimic_likelihood,
    slack_fast,
    trust_path,
)
from accord.sequencing.programme import Solution, is_mixed_integer, solve

LEVERS = ("trust", "completion_value", "first_move_cost", "reversibility")

BAYES_ITERATIONS = 8
"""Most solves of the trust fixed point for one horizon and first-mover pattern. The iteration
stops at the first schedule that is self-enforcing under its own trust path, so a schedule found
is exact; "none found" under Bayesian trust is the iteration's verdict, not a proof."""

GRID_POINTS = 6
"""Grid points per lever in the threshold scan (edges then refined by bisection)."""

TOL = 1e-7

MAX_INDIVISIBLE_STEPS = 24
"""Most indivisible open steps a problem may have. Each one is a binary variable per round, and
the schedule, every threshold scan and every assumption switched solve the mixed-integer
programme again: with a dozen indivisible steps a full analysis already takes minutes, and past
two dozen HiGHS often stops at its time limit without an answer. Above it the analysis is
refused up front; make steps divisible or merge them."""

PROGRAMME_COPIES = 4
"""Dense copies of the constraint matrix held at once while solving (the rows Accord builds,
SciPy's stacked copy and HiGHS's own column and row forms)."""


def programme_bytes(problem: SequencingProblem) -> float:
    """Estimated peak memory of one solve over ``max_rounds``: the dense constraint matrix
    (incentive, completion and ordering rows × variables) in float64, :data:`PROGRAMME_COPIES`
    times."""
    rounds = float(problem.max_rounds)
    n_order = float(len(problem.order))
    n_var = problem.n_steps * rounds + 1 + 2 * rounds + n_order * rounds
    n_rows = 2 * rounds + problem.n_steps + 2 * n_order * rounds
    return 8.0 * n_var * n_rows * PROGRAMME_COPIES


def check_problem_size(problem: SequencingProblem) -> None:
    """Refuse (EngineInputError) over :data:`MAX_INDIVISIBLE_STEPS` or the memory budget."""
    indivisible = int(np.count_nonzero(~problem.divisible))
    refuse_over(
        indivisible,
        MAX_INDIVISIBLE_STEPS,
        "the number of indivisible steps (each a binary variable per round, "
        "accord.sequencing.MAX_INDIVISIBLE_STEPS)",
        "Make steps divisible (divisible: true) or merge small steps into one",
    )
    check_memory(
        programme_bytes(problem),
        f"the schedule programme of {problem.n_steps} steps × {problem.max_rounds} rounds with "
        f"{len(problem.order)} ordering rules",
        "Lower max_rounds, merge steps or drop ordering rules",
    )


ELASTIC_TIME_LIMIT_S = 2.0
"""Cap on the mixed-integer elastic explanation (the best shortfall found by then is shown)."""

THRESHOLD_BUDGET_S = float("inf")
"""Wall-clock budget of the threshold scan; levers not reached are reported as not searched.
Unlimited by default, so that a result never depends on the speed of the machine."""


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
    """Answer of :func:`find_schedule`; ``shares`` is (steps, rounds), ``slack`` (2, rounds).

    ``pattern`` is the first mover (party index) of each round under ``sequential``;
    ``trust`` (2, rounds + 1) each party's trust at the start of each round and at the end.
    """

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
    within_round: str = "simultaneous"
    pattern: tuple[int, ...] | None = None
    trust: np.ndarray | None = None
    trust_model: str = "fixed"

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
        """Who gives first: under ``sequential`` the first mover of the earliest round in which
        anything is given; under ``simultaneous`` every party giving in that round."""
        first = {p: r for p, r in self.first_round().items() if r is not None}
        if not first:
            return ()
        earliest = min(first.values())
        if self.pattern is not None:
            mover = self.party_ids[self.pattern[earliest - 1]]
            if first.get(mover) == earliest:
                return (mover,)
        return tuple(p for p, r in first.items() if r == earliest)

    def first_mover_per_round(self) -> list[str | None]:
        """The first mover of each round (None under ``simultaneous``)."""
        if self.rounds is None:
            return []
        if self.pattern is None:
            return [None] * self.rounds
        return [self.party_ids[k] for k in self.pattern]

    def trust_path(self) -> dict[str, list[float]]:
        """Each party's trust at the start of rounds 1..T and after the last round."""
        if self.trust is None:
            return {}
        return {p: [float(x) for x in self.trust[i]] for i, p in enumerate(self.party_ids)}

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
            "within_round": self.within_round,
            "trust_model": self.trust_model,
            "schedule": self.rows(),
            "slack": {}
            if self.slack is None
            else {p: self.slack[i].tolist() for i, p in enumerate(self.party_ids)},
            "min_slack": self.min_slack,
            "first_round": self.first_round(),
            "first_movers": list(self.first_movers()),
            "first_mover": self.first_mover_per_round(),
            "trust_path": self.trust_path(),
            "blocking": None if self.blocking is None else self.blocking.to_dict(),
            "blocks_alone": dict(self.blocks_alone),
            "violation": {}
            if self.violation is None
            else {p: self.violation[i].tolist() for i, p in enumerate(self.party_ids)},
        }


@dataclass(frozen=True)
class Threshold:
    """One lever scanned over its whole range, the others held fixed.

    ``needed``: the smallest value at which a schedule exists within max_rounds (None: none in
    the range). ``feasible_from``/``feasible_to``: when a schedule exists at the current value,
    the interval around it in which one still does (how far the lever can move before the
    schedule breaks). ``non_monotone``: the feasible values on the grid are not one interval
    reaching the top of the range (more of the lever can break feasibility).
    """

    party: str
    lever: str
    current: float
    needed: float | None
    upper: float
    step: str | None = None
    feasible_from: float | None = None
    feasible_to: float | None = None
    non_monotone: bool = False
    searched: bool = True

    @property
    def met(self) -> bool:
        return self.feasible_from is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "lever": self.lever,
            "step": self.step,
            "current": self.current,
            "needed": self.needed,
            "searched_up_to": self.upper,
            "met": self.met,
            "feasible_from": self.feasible_from,
            "feasible_to": self.feasible_to,
            "non_monotone": self.non_monotone,
            "searched": self.searched,
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
    variants: dict[str, int | None] = field(default_factory=dict)
    first_move_cost: tuple[float, float] = (0.0, 0.0)

    def to_dict(self) -> dict[str, Any]:
        out = self.schedule.to_dict()
        out["variants"] = dict(self.variants)
        thresholds: dict[str, dict[str, Any]] = {}
        for th in self.thresholds:
            key = th.lever if th.step is None else f"{th.lever}:{th.step}"
            thresholds.setdefault(th.party, {})[key] = th.to_dict()
        out["thresholds"] = thresholds
        out["openings"] = {o.party: o.to_dict() for o in self.openings}
        return out


# --- one horizon ---------------------------------------------------------------------------


def is_classic(problem: SequencingProblem) -> bool:
    """True for the issue-6 model (one LP/MILP per horizon, no pattern or trust search)."""
    return (
        not problem.sequential
        and problem.trust_model == "fixed"
        and not np.any(problem.first_move_cost > 0)
    )


def monotone_in_rounds(problem: SequencingProblem) -> bool:
    """True when a schedule over T rounds stays one over T + 1 (so bisection over T is exact).

    Without a first-move cost, prepend an idle round whose first mover is round 1's: every later
    constraint is unchanged (fixed trust: the same powers of π; Bayesian: a move costing 0 leaves
    the belief as it is, exp(0) = 1), and the idle round's right-hand side is a positive multiple
    of the old round-1 net gain from going on, which its incentive constraint makes >= 0. A
    first-move cost is paid in the idle round too, so it breaks the argument.
    """
    return not np.any(problem.first_move_cost > 0)


def patterns(problem: SequencingProblem, rounds: int) -> list[np.ndarray | None]:
    """The first-mover patterns searched at ``rounds`` (``[None]`` under simultaneous)."""
    if not problem.sequential:
        return [None]
    alt = [np.arange(rounds) % 2, (np.arange(rounds) + 1) % 2]
    if problem.first_mover == "alternate":
        return list(alt)
    if problem.first_mover != "auto":
        return [np.full(rounds, problem.party_ids.index(problem.first_mover))]
    out: list[np.ndarray | None] = [
        np.zeros(rounds, dtype=np.int64),
        np.ones(rounds, dtype=np.int64),
    ]
    if rounds > 1:
        out += alt
    return out


@dataclass(frozen=True)
class _Attempt:
    feasible: bool
    shares: np.ndarray | None
    pattern: np.ndarray | None
    mimic: np.ndarray | None
    min_slack: float


def _uniform_mimic(problem: SequencingProblem, rounds: int, pattern: np.ndarray | None):
    if problem.trust_model != "bayesian":
        return None
    even = np.full((problem.n_steps, rounds), 1.0 / rounds)
    return mimic_likelihood(problem, even, pattern)


def _attempt(
    problem: SequencingProblem, rounds: int, pattern: np.ndarray | None, mode: str
) -> _Attempt:
    """Solve one horizon and pattern; for Bayesian trust iterate to the trust fixed point."""
    if problem.trust_model != "bayesian":
        sol = solve(problem, rounds, mode=mode, pattern=pattern)
        if not sol.feasible or sol.shares is None:
            return _Attempt(False, None, pattern, None, -np.inf)
        slack = slack_fast(problem, sol.shares, pattern)
        return _Attempt(True, sol.shares, pattern, None, float(slack.min()))
    mimic = _uniform_mimic(problem, rounds, pattern)
    best = _Attempt(False, None, pattern, None, -np.inf)
    for _ in range(BAYES_ITERATIONS):
        sol = solve(problem, rounds, mode="max_slack", pattern=pattern, mimic=mimic)
        if not sol.feasible or sol.shares is None:
            return best
        if sol.objective is not None and -sol.objective < -1e-9:
            return best  # even with this trust path some constraint must fail
        new = mimic_likelihood(problem, sol.shares, pattern)
        own = float(slack_fast(problem, sol.shares, pattern, new).min())
        if own >= -1e-7:  # self-enforcing under the trust path it itself produces
            return _Attempt(True, sol.shares, pattern, new, own)
        assert mimic is not None
        if np.max(np.abs(new - mimic)) < 1e-9:
            break
        mimic = 0.5 * mimic + 0.5 * new
    return best


def _best_at(problem: SequencingProblem, rounds: int, mode: str = "feasible") -> _Attempt:
    """The first feasible pattern (mode feasible) or the widest-margin one (max_slack)."""
    best = _Attempt(False, None, None, None, -np.inf)
    for pattern in patterns(problem, rounds):
        att = _attempt(problem, rounds, pattern, mode)
        if att.feasible and mode == "feasible":
            return att
        if att.feasible and att.min_slack > best.min_slack:
            best = att
    return best


def feasible_at(problem: SequencingProblem, rounds: int) -> bool:
    """Whether a self-enforcing schedule of exactly ``rounds`` rounds exists."""
    return _best_at(problem, rounds).feasible


def _problem_key(problem: SequencingProblem) -> tuple[Any, ...]:
    """A hashable fingerprint of a problem (arrays by their bytes), for memoising checks."""
    import dataclasses

    parts: list[Any] = []
    for f in dataclasses.fields(problem):
        v = getattr(problem, f.name)
        parts.append(
            (f.name, v.dtype.str, v.shape, v.tobytes())
            if isinstance(v, np.ndarray)
            else (f.name, repr(v))
        )
    return tuple(parts)


_FEASIBLE_CACHE: dict[tuple[Any, ...], bool] = {}
_FEASIBLE_CACHE_MAX = 4096


def feasible_within(problem: SequencingProblem, rounds: int | None = None) -> bool:
    """Whether a self-enforcing schedule exists within ``rounds`` (default max_rounds).

    Memoised on the problem's contents: the threshold scans ask the same question for the same
    problem many times (every lever's grid holds the current value). The answer is a pure
    function of the problem, so the cache cannot change a result.
    """
    key = (_problem_key(problem), rounds)
    hit = _FEASIBLE_CACHE.get(key)
    if hit is not None:
        return hit
    answer = _feasible_within(problem, rounds)
    if len(_FEASIBLE_CACHE) >= _FEASIBLE_CACHE_MAX:
        _FEASIBLE_CACHE.clear()
    _FEASIBLE_CACHE[key] = answer
    return answer


def _feasible_within(problem: SequencingProblem, rounds: int | None = None) -> bool:
    horizon = rounds or problem.max_rounds
    if monotone_in_rounds(problem):
        return feasible_at(problem, horizon)
    return fewest_rounds(problem, horizon) is not None


def fewest_rounds(problem: SequencingProblem, up_to: int | None = None) -> int | None:
    """Smallest T <= max_rounds with a self-enforcing schedule.

    Bisection when feasibility is monotone in T (:func:`monotone_in_rounds`); otherwise (a
    first-move cost) a scan upward.
    """
    horizon = up_to or problem.max_rounds
    if not monotone_in_rounds(problem):
        for rounds in range(1, horizon + 1):
            if feasible_at(problem, rounds):
                return rounds
        return None
    if not feasible_at(problem, horizon):
        return None
    lo, hi = 0, horizon  # invariant: infeasible at lo (or lo = 0), feasible at hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible_at(problem, mid):
            hi = mid
        else:
            lo = mid
    return hi


def _trust_table(problem: SequencingProblem, rounds: int, mimic: np.ndarray | None) -> np.ndarray:
    """(2, T + 1): trust at the start of each round and at the end (after m other moves)."""
    return trust_path(problem, rounds, mimic)


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
        within_round=problem.within_round,
        trust_model=problem.trust_model,
    )
    rounds = fewest_rounds(problem)
    if rounds is not None:
        best = _best_at(problem, rounds, mode="max_slack")
        if not best.feasible or best.shares is None:  # pragma: no cover - solver disagreement
            best = _best_at(problem, rounds, mode="feasible")
        assert best.shares is not None
        mimic = best.mimic
        return replace(
            base,
            feasible=True,
            rounds=rounds,
            shares=best.shares,
            slack=slack_fast(problem, best.shares, best.pattern, mimic),
            pattern=None if best.pattern is None else tuple(int(x) for x in best.pattern),
            trust=_trust_table(problem, rounds, mimic),
        )
    horizon = problem.max_rounds
    chosen: Solution | None = None
    chosen_pattern: np.ndarray | None = None
    mixed = is_mixed_integer(problem)
    for pattern in patterns(problem, horizon):
        # Bayesian trust: the trust path of an even schedule stands in for the fixed point.
        # The pattern is picked on the LP relaxation (fast); the explanation is then solved with
        # integrality for that pattern, with a time cap (the best shortfall found by then).
        elastic = solve(
            problem,
            horizon,
            mode="elastic",
            pattern=pattern,
            mimic=_uniform_mimic(problem, horizon, pattern),
            relax=mixed,
        )
        if chosen is None or (elastic.objective or 0.0) < (chosen.objective or 0.0):
            chosen, chosen_pattern = elastic, pattern
    if mixed:
        chosen = solve(
            problem,
            horizon,
            mode="elastic",
            pattern=chosen_pattern,
            mimic=_uniform_mimic(problem, horizon, chosen_pattern),
            time_limit=ELASTIC_TIME_LIMIT_S,
        )
    assert chosen is not None and chosen.violation is not None
    violation = np.where(chosen.violation > 1e-9, chosen.violation, 0.0)
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
        pattern=None if chosen_pattern is None else tuple(int(x) for x in chosen_pattern),
    )


def _feasible_for_one_party(problem: SequencingProblem, party: int) -> bool:
    """Feasibility with the other party's constraints switched off (it would follow any plan).

    Switching off j's constraints: a large prize G_j with q_j = 1, full trust and patience and no
    first-move cost makes every one of j's right-hand sides at least the prize, which dominates
    any cost. With these, j's slack is at least G_j − 2·(j's total cost), so four times
    (all costs + values + 1) is more than enough.
    """
    other = 1 - party
    big = float(problem.cost.sum() + problem.value.sum() + 1.0) * 4.0
    relaxed = problem.with_party_value(other, "completion", big)
    relaxed = relaxed.with_party_value(other, "trust", 1.0)
    relaxed = relaxed.with_party_value(other, "patience", 1.0)
    relaxed = relaxed.with_party_value(other, "first_move_cost", 0.0)
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


def _edge(check: Any, bad: float, good: float, steps: int = 7) -> float:
    """Bisection between a failing and a working value: the working end of the boundary."""
    for _ in range(steps):
        mid = 0.5 * (bad + good)
        if check(mid):
            good = mid
        else:
            bad = mid
    return good


def scan_lever(
    check: Any, lo: float, hi: float, current: float, points: int = GRID_POINTS
) -> tuple[float | None, float | None, float | None, bool]:
    """Scan ``check`` over [lo, hi] on a grid that includes ``current``.

    Returns (needed, feasible_from, feasible_to, non_monotone): the smallest working value (edge
    refined), the working interval around ``current`` when it works, and whether the working grid
    points fail to form one interval reaching ``hi``.
    """
    grid = np.unique(np.concatenate([np.linspace(lo, hi, points), [current]]))
    ok = np.array([bool(check(float(x))) for x in grid])
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return None, None, None, False
    non_monotone = bool(idx[-1] != len(grid) - 1 or np.any(np.diff(idx) > 1))
    first = int(idx[0])
    needed = float(grid[0]) if first == 0 else _edge(check, grid[first - 1], grid[first])
    here = int(np.flatnonzero(grid == current)[0])
    if not ok[here]:
        return needed, None, None, non_monotone
    a = here
    while a > 0 and ok[a - 1]:
        a -= 1
    b = here
    while b < len(grid) - 1 and ok[b + 1]:
        b += 1
    start = float(grid[0]) if a == 0 else _edge(check, grid[a - 1], grid[a])
    end = float(grid[-1]) if b == len(grid) - 1 else _edge(check, grid[b + 1], grid[b])
    return needed, start, end, non_monotone


def lever_count(problem: SequencingProblem) -> int:
    """How many levers :func:`thresholds` scans (for progress)."""
    per_party = sum(
        3 if problem.sequential or float(problem.first_move_cost[i]) > 0 else 2
        for i in range(len(problem.party_ids))
    )
    return per_party + int(np.count_nonzero(problem.reversible > 0))


def thresholds(
    problem: SequencingProblem,
    budget_s: float = THRESHOLD_BUDGET_S,
    progress: Progress | None = None,
) -> tuple[Threshold, ...]:
    """Per party: trust, completion value and first-move cost; per reversible open step: its
    reversible fraction; each scanned over its whole range with the others held fixed.

    Levers not reached within ``budget_s`` seconds come back with ``searched=False``.
    ``progress(done, total)`` is told after each lever.
    """
    import time

    start = time.perf_counter()
    out = _Budgeted(start, budget_s, resolve(progress), lever_count(problem))
    _DEADLINE[0] = start + budget_s
    horizon = problem.max_rounds
    for i, pid in enumerate(problem.party_ids):

        def trust_ok(x: float, i: int = i) -> bool:
            return feasible_within(problem.with_party_value(i, "trust", x))

        cur = float(problem.trust[i])
        out.append(_threshold(pid, "trust", cur, trust_ok, 1.0))

        # Upper end for G_i: with prize G every one of i's slacks is at least
        # q·δ^(T−1)·π^T·G − (1 + q)·(i's total cost + first-move costs).
        q = float(problem.checked_by_other[i])
        reach = (
            q * float(problem.patience[i]) ** (horizon - 1) * float(problem.trust[i]) ** (horizon)
        )
        own_cost = float(problem.cost[problem.owner == i].sum()) + horizon * float(
            problem.first_move_cost[i]
        )
        g_hi = min((2.0 * own_cost + 1e-9) / reach, 1e3) if reach > 1e-300 else 1e3
        g_hi = max(g_hi, 2.0 * float(problem.completion[i]), 1e-6)

        def prize_ok(x: float, i: int = i) -> bool:
            return feasible_within(problem.with_party_value(i, "completion", x))

        cur = float(problem.completion[i])
        out.append(_threshold(pid, "completion_value", cur, prize_ok, g_hi))

        cur = float(problem.first_move_cost[i])
        f_hi = max(2.0 * cur, float(problem.cost[problem.owner == i].sum()), 1e-6)

        def face_ok(x: float, i: int = i) -> bool:
            return feasible_within(problem.with_party_value(i, "first_move_cost", x))

        if problem.sequential or cur > 0:
            out.append(_threshold(pid, "first_move_cost", cur, face_ok, f_hi))
    for k, sid in enumerate(problem.step_ids):
        owner = problem.party_ids[int(problem.owner[k])]
        if problem.reversible[k] <= 0:
            continue  # irreversible steps are listed as such by the callers

        def rev_ok(x: float, k: int = k) -> bool:
            return feasible_within(problem.with_step_reversibility(k, x))

        cur = float(problem.reversible[k])
        out.append(_threshold(owner, "reversibility", cur, rev_ok, 1.0, step=sid))
    return tuple(out.items)


class _Budgeted:
    """Collects thresholds; once the budget is spent, appends unsearched placeholders."""

    def __init__(
        self, start: float, budget: float, report: Progress | None = None, total: int = 0
    ) -> None:
        self.start, self.budget = start, budget
        self.items: list[Threshold] = []
        self.report, self.total = report, total

    def append(self, item: Any) -> None:
        self.items.append(item)
        if self.report is not None:
            self.report(len(self.items), max(self.total, len(self.items)))


_DEADLINE: list[float] = [float("inf")]


def _threshold(
    party: str, lever: str, current: float, check: Any, hi: float, step: str | None = None
) -> Threshold:
    """Scan one lever over [0, hi] (see :func:`scan_lever`) into a :class:`Threshold`."""
    import time

    if time.perf_counter() > _DEADLINE[0]:
        return Threshold(party, lever, current, None, hi, step=step, searched=False)
    needed, start, end, nonmono = scan_lever(check, 0.0, hi, current)
    return Threshold(
        party,
        lever,
        current,
        needed,
        hi,
        step=step,
        feasible_from=start,
        feasible_to=end,
        non_monotone=nonmono,
    )


def openings(problem: SequencingProblem) -> tuple[Opening, ...]:
    """For each party, the largest round-1 cost share it can pay while the other side waits.

    Under ``sequential`` the opener is the first mover of round 1 in every pattern searched.
    """
    out = []
    for i, pid in enumerate(problem.party_ids):
        best: float | None = None
        for pattern in patterns(problem, problem.max_rounds):
            if pattern is not None and int(pattern[0]) != i:
                continue
            sol = solve(
                problem,
                problem.max_rounds,
                mode="opening",
                silent_first=1 - i,
                pattern=pattern,
                mimic=_uniform_mimic(problem, problem.max_rounds, pattern),
            )
            if sol.feasible and sol.objective is not None:
                share = max(0.0, -sol.objective)
                best = share if best is None else max(best, share)
        out.append(Opening(pid, best))
    return tuple(out)


VARIANTS = {
    "as_stated": "the model as stated",
    "no_first_move_cost": "without the cost of moving first",
    "simultaneous": "with both sides delivering at once within a round",
    "free_snapback": "with free, certain snapback believed whatever the trust",
    "no_snapback": "with nothing reversible",
    "fixed_trust": "with trust fixed at its prior",
    "old_model": "under the old model (simultaneous, free snapback, fixed trust, no face cost)",
}
"""The assumptions switched one at a time to say which one carries the result."""


def variant(problem: SequencingProblem, name: str) -> SequencingProblem:
    """``problem`` with one assumption of :data:`VARIANTS` switched."""
    match name:
        case "as_stated":
            return problem
        case "no_first_move_cost":
            return replace(problem, first_move_cost=np.zeros(2))
        case "simultaneous":
            return replace(problem, within_round="simultaneous")
        case "free_snapback":
            free = problem.free_given_snapback
            assert free is not None
            return replace(problem, snapback="free", given_snapback=free)
        case "no_snapback":
            return replace(
                problem, reversible=np.zeros(problem.n_steps), given_snapback=np.zeros(2)
            )
        case "fixed_trust":
            return replace(problem, trust_model="fixed")
        case "old_model":
            return replace(
                variant(problem, "free_snapback"),
                within_round="simultaneous",
                trust_model="fixed",
                first_move_cost=np.zeros(2),
            )
    raise ValueError(f"unknown variant {name!r}")


def variants(problem: SequencingProblem) -> dict[str, int | None]:
    """Fewest rounds (None: no schedule within max_rounds) with each assumption switched."""
    return {name: fewest_rounds(variant(problem, name)) for name in VARIANTS}


def analyse(
    problem: SequencingProblem,
    *,
    with_thresholds: bool = True,
    with_variants: bool = True,
    progress: Progress | None = None,
) -> SequencingAnalysis:
    """Schedule, the thresholds that would make one exist, the first-move comparison, and the
    result with each assumption switched (:data:`VARIANTS`).

    Refuses up front over :data:`MAX_INDIVISIBLE_STEPS` or the memory budget
    (:func:`check_problem_size`). ``progress(done, total)`` counts the stages: the schedule,
    each lever scanned, the openings and the assumptions switched.
    """
    check_problem_size(problem)
    report = resolve(progress)
    levers = lever_count(problem) if with_thresholds else 0
    total = 3 + levers

    def tell(done: int) -> None:
        if report is not None:
            report(done, total)

    tell(0)
    schedule = find_schedule(problem)
    tell(1)
    found = (
        thresholds(problem, progress=lambda done, _total: tell(1 + done)) if with_thresholds else ()
    )
    tell(1 + levers)
    opened = openings(problem)
    tell(2 + levers)
    switched = variants(problem) if with_variants else {}
    tell(total)
    return SequencingAnalysis(
        schedule=schedule,
        thresholds=found,
        openings=opened,
        variants=switched,
        first_move_cost=(float(problem.first_move_cost[0]), float(problem.first_move_cost[1])),
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
