"""The sequencing problem as frozen arrays, and the incentive constraints over a schedule.

Model: the incentive constraint of Accord issue 6 ("Sequencing under mistrust"), in the tradition
of self-enforcing gradual exchange (Admati & Perry 1991, "Joint projects without commitment",
Rev. Econ. Stud. 58(2); Lockwood & Thomas 2002, "Gradualism and irreversibility", Rev. Econ. Stud.
69(2)), where each side's step is kept small enough that what it still expects from the other side
outweighs what it saves by stopping. Two parties i and j; rounds t = 1..T; ``z[k, t]`` >= 0 is
the share of step k done in round t and ``sum_t z[k, t] = 1``. Both sides' shares of a round are
delivered at the same time, so a party that stops in round t still gets the other side's round-t
shares.
With β_i = δ_i·π_i (patience × trust), C_i(t) the cost i pays in round t, V_i(t) the value i
receives in round t, q_i the detection probability of the *other* party (how likely i's shortfall
is noticed), the incentive constraint of party i in round t is

    C_i(t) <= q_i · [ Σ_{s>t} β_i^(s−t)·(V_i(s) − C_i(s)) + β_i^(T−t)·G_i + R_i(t) ]

where R_i(t) = Σ_{k owned by j} r_k·v_k·(share of k done in rounds 1..t, or 1 if k was given
before round 1) is the value i has received that j would take back (snapback) if i stopped.

What "imperfect verification scales the future terms by the detection probability" means here:
if i withholds its round-t shares, then with probability q_i the other side notices, stops from
round t+1 on and snaps back R_i(t): i loses the continuation, the prize and R_i(t). With
probability 1 − q_i the shortfall goes unnoticed and the process carries on as if the shares had
been delivered, so i loses nothing. Stopping therefore pays ``C_i(t)`` now against an expected loss
``q_i · [continuation + prize + snapback]``, which is the constraint above. With ``q_i = 1`` it is
exactly the issue's constraint. Every term is linear in z.

Issue 15 (docs/models.md, Sequencing) generalises this move by move. Each round is unrolled into
moves: under ``within_round: sequential`` the round's first mover, then the other, so the first
mover's constraint counts the other's same-round shares as future (weighted by trust) and it is
exposed for its step; under ``simultaneous`` the other's move counts as already made (the
formula above). For party i deciding at a move, a term n moves of the other side ahead in round s
is weighted δ_i^(s−t)·P_i(n), with P_i(n) = π_i^n (fixed trust) or μ + (1 − μ)·Π L_j (Bayesian
trust, Kydd 2005 ch. 7; see :func:`trust_path`). Snapback is weighted by
:attr:`SequencingProblem.snapback_weight` (r_k, or r_k·p_k when credible and worth carrying out)
and, when credible, by the trust the party has at that move. The first-move cost F_i is added to
i's cost in each round it moves first. With ``simultaneous``, free snapback, fixed trust and F = 0
these weights reduce exactly to the formula above (β^(s−t) = δ^(s−t)·π^(s−t)).

``slack_matrix`` builds the constraints as ``slack = A @ z.ravel() + g`` with NumPy broadcasting
(the programme's rows); ``slack_reference`` evaluates the same formula with plain loops and is the
readable reference the tests compare against.

Example::

    >>> import numpy as np
    >>> p = SequencingProblem.symmetric(beta=0.9, cost=1.0, value=2.0, completion=0.5)
    >>> z = np.array([[0.6, 0.4], [0.6, 0.4]])  # both sides: 60 % in round 1, 40 % in round 2
    >>> bool(np.all(slack_reference(p, z) >= -1e-12))
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from accord.errors import EngineInputError
from accord.scenario.sequencing import Sequencing
from accord.scenario.stakeholders import Stakeholders


@dataclass(frozen=True)
class SequencingProblem:
    """Two parties, the open steps to schedule and the constants of the incentive constraints.

    Arrays are per party (length 2, in ``party_ids`` order) or per open step (length K). Steps
    already given before round 1 are folded into ``given_snapback``; ``order`` holds index pairs
    (before, after) into the open steps.

    The defaults of the mistrust fields (``within_round="simultaneous"``, ``snapback="free"``,
    ``trust_model="fixed"``, no first-move cost, every reversal certain and free) are the model
    of Accord issue 6; a scenario section defaults to the issue-15 model instead (sequential,
    credible snapback), see :func:`problem_from_section`.
    """

    party_ids: tuple[str, str]
    step_ids: tuple[str, ...]
    owner: np.ndarray  # (K,) int: index of the owning party
    cost: np.ndarray  # (K,) cost to the owner
    value: np.ndarray  # (K,) value to the other side
    reversible: np.ndarray  # (K,) fraction of the value the owner can take back
    divisible: np.ndarray  # (K,) bool
    patience: np.ndarray  # (2,) δ_i
    trust: np.ndarray  # (2,) π_i (fixed) or prior μ_i (bayesian)
    completion: np.ndarray  # (2,) G_i
    detection: np.ndarray  # (2,) probability that party i notices the other side's shortfall
    given_snapback: np.ndarray = field(default_factory=lambda: np.zeros(2))  # (2,) R_i from given
    order: tuple[tuple[int, int], ...] = ()
    max_rounds: int = 20
    within_round: str = "simultaneous"  # or "sequential"
    first_mover: str = "auto"  # "auto", "alternate", or a party id (sequential only)
    snapback: str = "free"  # or "credible"
    trust_model: str = "fixed"  # or "bayesian"
    reversal_prob: np.ndarray | None = None  # (K,) probability the reversal is carried out
    reversal_cost: np.ndarray | None = None  # (K,) cost to the owner of the whole reversal
    first_move_cost: np.ndarray = field(default_factory=lambda: np.zeros(2))  # (2,) F_i
    mimic_scale: np.ndarray = field(default_factory=lambda: np.full(2, np.inf))  # (2,) θ_i
    free_given_snapback: np.ndarray | None = None  # (2,) given steps' snapback if it were free

    def __post_init__(self) -> None:
        k = len(self.step_ids)
        if self.reversal_prob is None:
            object.__setattr__(self, "reversal_prob", np.ones(k))
        if self.reversal_cost is None:
            object.__setattr__(self, "reversal_cost", np.zeros(k))
        if self.free_given_snapback is None:
            object.__setattr__(self, "free_given_snapback", np.array(self.given_snapback))
        for name in (
            "owner",
            "cost",
            "value",
            "reversible",
            "divisible",
            "reversal_prob",
            "reversal_cost",
        ):
            arr = np.asarray(getattr(self, name))
            if arr.shape != (k,):
                raise EngineInputError(
                    f"{name} must have one entry per step ({k}), got shape {arr.shape}"
                )
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        for name in (
            "patience",
            "trust",
            "completion",
            "detection",
            "given_snapback",
            "first_move_cost",
            "mimic_scale",
            "free_given_snapback",
        ):
            arr = np.asarray(getattr(self, name), dtype=np.float64)
            if arr.shape != (2,):
                raise EngineInputError(f"{name} must have one entry per party (2), got {arr.shape}")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        for name, allowed in (
            ("within_round", ("simultaneous", "sequential")),
            ("snapback", ("free", "credible")),
            ("trust_model", ("fixed", "bayesian")),
            ("first_mover", ("auto", "alternate", *self.party_ids)),
        ):
            if getattr(self, name) not in allowed:
                raise EngineInputError(
                    f"{name} must be one of {', '.join(allowed)}, got {getattr(self, name)!r}"
                )
        if k == 0:
            raise EngineInputError("there is no open step to schedule")
        if not self.max_rounds >= 1:
            raise EngineInputError(f"max_rounds must be at least 1, got {self.max_rounds}")
        chain = longest_chain(k, self.order)
        if chain > self.max_rounds:
            raise EngineInputError(
                f"the order rules chain {chain} steps one after another, which needs at least "
                f"{chain} rounds, but max_rounds is {self.max_rounds}; raise max_rounds"
            )

    @property
    def sequential(self) -> bool:
        return self.within_round == "sequential"

    @property
    def snapback_weight(self) -> np.ndarray:
        """(K,) share of a step's value its owner's snapback actually takes back.

        Free snapback (issue 6): the reversible fraction r_k. Credible snapback (issue 15): r_k
        times the probability p_k that the reversal can be carried out, and zero when carrying it
        out costs the owner more than the share of its own cost it recovers (r_k·c_k <
        reversal_cost_k): a threat the owner would not carry out is not believed (subgame
        perfection; docs/models.md, Sequencing).
        """
        rev = np.asarray(self.reversible, dtype=np.float64)
        if self.snapback == "free":
            return rev
        assert self.reversal_prob is not None and self.reversal_cost is not None
        credible = rev * self.cost >= self.reversal_cost - 1e-12
        return np.where(credible, rev * self.reversal_prob, 0.0)

    @property
    def n_steps(self) -> int:
        return len(self.step_ids)

    @property
    def beta(self) -> np.ndarray:
        """β_i = δ_i·π_i, the weight party i puts on the next round's terms."""
        return self.patience * self.trust

    @property
    def checked_by_other(self) -> np.ndarray:
        """q_i: the probability that party i's shortfall is noticed (the other side's detection)."""
        return self.detection[::-1].copy()

    def with_party_value(self, party: int, name: str, value: float) -> SequencingProblem:
        """A copy with one party's trust, completion, detection or patience set to ``value``."""
        arr = np.array(getattr(self, name), dtype=np.float64)
        arr[party] = value
        match name:
            case "trust":
                return replace(self, trust=arr)
            case "completion":
                return replace(self, completion=arr)
            case "detection":
                return replace(self, detection=arr)
            case "patience":
                return replace(self, patience=arr)
            case "first_move_cost":
                return replace(self, first_move_cost=arr)
        raise ValueError(f"unknown party parameter {name!r}")

    def with_step_reversibility(self, step: int, value: float) -> SequencingProblem:
        """A copy where open step ``step`` can be taken back by the fraction ``value``."""
        rev = np.array(self.reversible, dtype=np.float64)
        rev[step] = value
        return replace(self, reversible=rev)

    def with_reversibility_floor(self, party: int, floor: float) -> SequencingProblem:
        """A copy where every open step of ``party`` can be taken back at least ``floor``."""
        rev = np.array(self.reversible, dtype=np.float64)
        mine = self.owner == party
        rev[mine] = np.maximum(rev[mine], floor)
        return replace(self, reversible=rev)

    @staticmethod
    def symmetric(
        *,
        beta: float,
        cost: float,
        value: float,
        completion: float,
        reversible: float = 0.0,
        max_rounds: int = 60,
    ) -> SequencingProblem:
        """The issue's validation case: one divisible step each, same β, cost, value and prize."""
        return SequencingProblem(
            party_ids=("a", "b"),
            step_ids=("step-a", "step-b"),
            owner=np.array([0, 1]),
            cost=np.array([cost, cost]),
            value=np.array([value, value]),
            reversible=np.array([reversible, reversible]),
            divisible=np.array([True, True]),
            patience=np.array([1.0, 1.0]),
            trust=np.array([beta, beta]),
            completion=np.array([completion, completion]),
            detection=np.array([1.0, 1.0]),
            max_rounds=max_rounds,
        )


def longest_chain(n_steps: int, order: tuple[tuple[int, int], ...]) -> int:
    """Number of steps in the longest before→after chain (1 without rules); rejects cycles."""
    depth = [1] * n_steps
    # Bellman-Ford style relaxation: a chain can be at most n_steps long, so n_steps passes
    # settle every depth; a change in the extra pass means a cycle.
    for _ in range(n_steps):
        changed = False
        for before, after in order:
            if depth[after] < depth[before] + 1:
                depth[after] = depth[before] + 1
                changed = True
        if not changed:
            return max(depth)
    raise EngineInputError("the order rules contain a cycle; no schedule can satisfy them")


@dataclass(frozen=True)
class GivenStep:
    """A step delivered before round 1 (kept for display: its value already counts)."""

    step_id: str
    owner: str
    value: float
    reversible: float
    taken_back: float = 0.0  # share of its value the owner's snapback would take back


def consent_probability(step: Any, stakeholders: Stakeholders | None) -> float:
    """Probability that every stakeholder a reversal needs consents (independent actors).

    An actor consents with the probability given by how far its position lies toward the end of
    the dimension the reversal moves to: (high − x)/(high − low) for ``toward: low``, (x − low) /
    (high − low) for ``toward: high`` (docs/models.md, Sequencing). 1 when no consent is needed.
    """
    need = step.needs_consent
    if need is None:
        return 1.0
    if stakeholders is None:
        raise EngineInputError(
            f"step '{step.id}' needs the consent of {', '.join(need.actors)}, but the scenario "
            "has no stakeholders: section to read their positions from"
        )
    dims = {d.id: d for d in stakeholders.dimensions}
    actors = {a.id: a for a in stakeholders.actors}
    if need.dimension not in dims:
        raise EngineInputError(
            f"step '{step.id}': '{need.dimension}' is not a stakeholders dimension; use one of: "
            + ", ".join(dims)
        )
    lo, hi = dims[need.dimension].scale
    prob = 1.0
    for aid in need.actors:
        if aid not in actors or need.dimension not in actors[aid].positions:
            raise EngineInputError(
                f"step '{step.id}': the actor '{aid}' holds no position on '{need.dimension}'"
            )
        x = float(actors[aid].positions[need.dimension].point)
        share = (hi - x) / (hi - lo) if need.toward == "low" else (x - lo) / (hi - lo)
        prob *= min(1.0, max(0.0, share))
    return prob


def problem_from_section(
    section: Sequencing, stakeholders: Stakeholders | None = None
) -> tuple[SequencingProblem, tuple[GivenStep, ...]]:
    """Point values of a ``sequencing:`` section as a :class:`SequencingProblem`.

    Party order is the order of ``section.parties``. Steps with ``given: true`` become constants:
    their value is already received, so their reversible part (weighted as the section's
    ``snapback`` rule says) adds to the receiver's snapback in every round; their cost is sunk.
    ``stakeholders`` supplies the positions behind ``needs_consent``.
    """
    party_ids = tuple(section.parties)
    index = {pid: n for n, pid in enumerate(party_ids)}
    open_steps = [s for s in section.steps if not s.given]
    credible = section.snapback == "credible"

    def weight(s: Any) -> float:
        rev = float(s.reversible.point)
        if not credible:
            return rev
        if rev * float(s.cost.point) < float(s.reversal_cost.point) - 1e-12:
            return 0.0
        return rev * float(s.reversal_probability.point) * consent_probability(s, stakeholders)

    given = tuple(
        GivenStep(s.id, s.owner, s.value.point, s.reversible.point, weight(s))
        for s in section.steps
        if s.given
    )
    given_snapback = np.zeros(2)
    free_given = np.zeros(2)
    for g in given:
        given_snapback[1 - index[g.owner]] += g.taken_back * g.value
        free_given[1 - index[g.owner]] += g.reversible * g.value
    step_index = {s.id: n for n, s in enumerate(open_steps)}
    order = tuple(
        (step_index[a], step_index[b])
        for a, b in section.order
        if a in step_index and b in step_index  # a given predecessor is already satisfied
    )
    parties = [section.parties[p] for p in party_ids]
    problem = SequencingProblem(
        party_ids=(party_ids[0], party_ids[1]),
        step_ids=tuple(s.id for s in open_steps),
        owner=np.array([index[s.owner] for s in open_steps], dtype=np.int64),
        cost=np.array([s.cost.point for s in open_steps], dtype=np.float64),
        value=np.array([s.value.point for s in open_steps], dtype=np.float64),
        reversible=np.array([s.reversible.point for s in open_steps], dtype=np.float64),
        divisible=np.array([s.divisible for s in open_steps], dtype=bool),
        patience=np.array([p.patience.point for p in parties]),
        trust=np.array([p.trust.point for p in parties]),
        completion=np.array([p.completion_value.point for p in parties]),
        detection=np.array([p.detection.point for p in parties]),
        given_snapback=given_snapback,
        free_given_snapback=free_given,
        order=order,
        max_rounds=section.max_rounds,
        within_round=section.within_round,
        first_mover=section.first_mover,
        snapback=section.snapback,
        trust_model=section.trust_model,
        reversal_prob=np.array(
            [
                float(s.reversal_probability.point) * consent_probability(s, stakeholders)
                for s in open_steps
            ]
        ),
        reversal_cost=np.array([s.reversal_cost.point for s in open_steps], dtype=np.float64),
        first_move_cost=np.array([p.first_move_cost.point for p in parties]),
        mimic_scale=np.array(
            [np.inf if p.mimic_scale is None else p.mimic_scale.point for p in parties]
        ),
    )
    return problem, given


def first_move_flags(problem: SequencingProblem, rounds: int, pattern: np.ndarray | None):
    """``(ahead, pays)``, both (2, T) 0/1: ``ahead[i, t]`` = party i moves before the other in
    round t (sequential only); ``pays[i, t]`` = party i pays its first-move cost in round t (the
    round's first mover; under ``simultaneous`` both parties in round 1, who give in at once)."""
    ahead = np.zeros((2, rounds))
    pays = np.zeros((2, rounds))
    if problem.sequential:
        if pattern is None or len(pattern) != rounds:
            raise EngineInputError("a sequential problem needs the first mover of every round")
        pat = np.asarray(pattern)
        for i in range(2):
            ahead[i] = pat == i
        pays[:] = ahead
    else:
        pays[:, 0] = 1.0
    return ahead, pays


def mimic_likelihood(
    problem: SequencingProblem, shares: np.ndarray, pattern: np.ndarray | None
) -> np.ndarray:
    """(2, T): probability that an uncooperative type of party j makes its round-t move.

    The move costs j its shares' cost plus its first-move cost that round, x; an uncooperative
    type still makes it with probability exp(−x/θ_j) (the costly-signal reading of Kydd 2005,
    ch. 7: the costlier a reassuring step, the less an untrustworthy type would take it).
    """
    rounds = shares.shape[1]
    _, pays = first_move_flags(problem, rounds, pattern)
    out = np.ones((2, rounds))
    for j in range(2):
        mine = problem.owner == j
        x = problem.cost[mine] @ shares[mine] + problem.first_move_cost[j] * pays[j]
        theta = float(problem.mimic_scale[j])
        out[j] = np.exp(-x / theta) if np.isfinite(theta) else 1.0
    return out


def trust_path(problem: SequencingProblem, rounds: int, mimic: np.ndarray | None) -> np.ndarray:
    """(2, T + 1): party i's trust after m = 0..T moves of the other side.

    Fixed trust: π_i throughout. Bayesian (Kydd 2005, ch. 7): μ_i(0) is the prior that the other
    side is the cooperative type and, by Bayes' rule after each completed move m with likelihood
    L_j(m) for the uncooperative type, μ(m+1) = μ(m) / (μ(m) + (1 − μ(m))·L_j(m)).
    """
    out = np.empty((2, rounds + 1))
    for i in range(2):
        prior = float(problem.trust[i])
        if problem.trust_model == "fixed" or mimic is None:
            out[i] = prior
            continue
        cum = np.concatenate([[1.0], np.cumprod(mimic[1 - i])])
        out[i] = prior / np.maximum(prior + (1.0 - prior) * cum, 1e-300) if prior > 0 else 0.0
    return out


def _weights(
    problem: SequencingProblem, i: int, rounds: int, mimic: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """``(g, mu)``: ``g[m, n]`` is party i's probability that the other side makes its next n
    moves, having made m; ``mu[m]`` its trust then. Fixed: π^n and π. Bayesian:
    μ(m) + (1 − μ(m))·Π_{u=m}^{m+n−1} L_j(u), and the posterior μ(m)."""
    size = rounds + 2
    m = np.arange(size)[:, None]
    n = np.arange(size)[None, :]
    if problem.trust_model == "fixed" or mimic is None:
        pi = float(problem.trust[i])
        g = np.where(n == 0, 1.0, pi ** np.maximum(n, 1)) * np.ones((size, 1))
        return g, np.full(size, pi)
    like = np.ones(2 * size)
    like[:rounds] = mimic[1 - i]
    cum = np.concatenate([[0.0], np.cumsum(np.log(np.maximum(like, 1e-300)))])
    prior = float(problem.trust[i])
    mu = np.zeros(size)
    if prior > 0:
        mu = prior / (prior + (1.0 - prior) * np.exp(cum[:size]))
    unc = np.exp(cum[np.minimum(m + n, 2 * size)] - cum[m])
    return mu[:, None] + (1.0 - mu[:, None]) * unc, mu


def slack_matrix(
    problem: SequencingProblem,
    rounds: int,
    pattern: np.ndarray | None = None,
    mimic: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(A, g)`` with ``slack = A @ z.ravel() + g`` of shape (2·T,), rows (party, round).

    ``z`` is (K, T) flattened row-major (step-major). Row ``i·T + t`` is party i's constraint in
    round t+1: right-hand side minus left-hand side of the incentive constraint (module docstring
    and docs/models.md). ``pattern`` (T,) is the first mover of each round (sequential only);
    ``mimic`` (2, T) the uncooperative types' move probabilities (Bayesian trust only).
    """
    horizon = rounds
    t = np.arange(horizon)[:, None]  # constraint round
    s = np.arange(horizon)[None, :]  # round in which a share is delivered
    gap = s - t
    ahead, pays = first_move_flags(problem, rounds, pattern)
    q = problem.checked_by_other
    rho = problem.snapback_weight * problem.value
    blocks = []
    constants = []
    for i in range(2):
        g, mu = _weights(problem, i, rounds, mimic)
        a_t = ahead[i][:, None]
        a_s = ahead[i][None, :]
        m_d = (t + 1 - a_t).astype(np.int64)
        disc = problem.patience[i] ** np.maximum(gap, 0)
        n_val = np.clip(gap + a_t, 0, None).astype(np.int64)
        n_cost = np.clip(gap - 1 + a_t + (1 - a_s), 0, None).astype(np.int64)
        gets = (gap > 0) | ((gap == 0) & (a_t > 0))
        val_w = np.where(gets, disc * g[m_d, n_val], 0.0)
        cost_w = np.where(gap > 0, disc * g[m_d, n_cost], 0.0)
        # the snapback threat: certain (free), or believed with the trust the side has then
        sb = np.ones((horizon, 1)) if problem.snapback == "free" else mu[m_d[:, 0]][:, None]
        held = np.where(~gets & (gap <= 0), sb, 0.0)  # received by now, could be taken back
        pays_k = problem.owner == i
        cost_coef = -problem.cost[:, None, None] * ((gap == 0) + q[i] * cost_w)[None, :, :]
        value_coef = q[i] * (
            problem.value[:, None, None] * val_w[None, :, :] + rho[:, None, None] * held[None]
        )
        per_step = np.where(pays_k[:, None, None], cost_coef, value_coef)  # (K, T, T)
        blocks.append(per_step.transpose(1, 0, 2).reshape(horizon, -1))
        t1 = np.arange(horizon)
        n_prize = (horizon - 1 - t1 + ahead[i]).astype(np.int64)
        prize = problem.patience[i] ** (horizon - 1 - t1) * g[m_d[:, 0], n_prize]
        face = problem.first_move_cost[i] * (pays[i] + q[i] * (cost_w @ pays[i]))
        constants.append(
            q[i] * (prize * problem.completion[i] + sb[:, 0] * problem.given_snapback[i]) - face
        )
    return np.vstack(blocks), np.concatenate(constants)


def slack_fast(
    problem: SequencingProblem,
    shares: np.ndarray,
    pattern: np.ndarray | None = None,
    mimic: np.ndarray | None = None,
) -> np.ndarray:
    """Slack (2, T) of every incentive constraint for the schedule ``shares`` (K, T), vectorised."""
    rounds = shares.shape[1]
    a, g = slack_matrix(problem, rounds, pattern, mimic)
    return (a @ shares.ravel() + g).reshape(2, rounds)


def slack_reference(
    problem: SequencingProblem,
    shares: np.ndarray,
    pattern: np.ndarray | None = None,
    mimic: np.ndarray | None = None,
) -> np.ndarray:
    """Slack (2, T) of every incentive constraint, by plain loops over the sequence of moves.

    For party i the rounds are unrolled into moves (round, mover): under ``sequential`` the
    round's first mover, then the other; under ``simultaneous`` the other side's move counts as
    seen before i decides (a stopper still gets the round's shares). At i's move in round t it
    walks forward, multiplying the probability that the other side keeps making its moves.
    """
    n_steps, rounds = shares.shape
    out = np.zeros((2, rounds))
    for i in range(2):
        j = 1 - i
        moves: list[tuple[int, int]] = []
        for t in range(rounds):
            i_first = problem.sequential and pattern is not None and int(pattern[t]) == i
            moves += [(t, i), (t, j)] if i_first else [(t, j), (t, i)]
        prior = float(problem.trust[i])
        delta = float(problem.patience[i])
        q = float(problem.detection[j])

        def like(t: int, j: int = j) -> float:
            return 1.0 if mimic is None else float(mimic[j, t])

        def face(party: int, t: int) -> float:
            first = (problem.sequential and pattern is not None and int(pattern[t]) == party) or (
                not problem.sequential and t == 0
            )
            return float(problem.first_move_cost[party]) if first else 0.0

        def paid(t: int, i: int = i) -> float:
            return sum(
                float(problem.cost[k] * shares[k, t])
                for k in range(n_steps)
                if int(problem.owner[k]) == i
            ) + face(i, t)

        def got(t: int, j: int = j) -> float:
            return sum(
                float(problem.value[k] * shares[k, t])
                for k in range(n_steps)
                if int(problem.owner[k]) == j
            )

        bayes = problem.trust_model == "bayesian" and mimic is not None
        for pos, (t, mover) in enumerate(moves):
            if mover != i:
                continue
            # trust now, from the other side's moves already made
            mu = prior
            seen = [u for (u, who) in moves[:pos] if who == j]
            if bayes:
                for u in seen:
                    mu = mu / (mu + (1 - mu) * like(u)) if mu > 0 else 0.0
            future = 0.0
            keep = 1.0  # fixed: π^n; Bayesian: product of the uncooperative type's moves
            n_other = 0
            for u, who in moves[pos + 1 :]:
                if who == j:
                    n_other += 1
                    keep *= like(u)
                prob = (mu + (1 - mu) * keep) if bayes else prior**n_other
                weight = delta ** (u - t) * prob
                future += weight * (got(u) if who == j else -paid(u))
            prob_end = (mu + (1 - mu) * keep) if bayes else prior**n_other
            prize = delta ** (rounds - 1 - t) * prob_end * float(problem.completion[i])
            believed = 1.0 if problem.snapback == "free" else mu
            held = float(problem.given_snapback[i]) + sum(
                float(problem.snapback_weight[k] * problem.value[k] * shares[k, u])
                for u in seen
                for k in range(n_steps)
                if int(problem.owner[k]) == j
            )
            out[i, t] = q * (future + prize + believed * held) - paid(t)
    return out
