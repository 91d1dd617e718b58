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

import numpy as np

from accord.errors import EngineInputError
from accord.scenario.sequencing import Sequencing


@dataclass(frozen=True)
class SequencingProblem:
    """Two parties, the open steps to schedule and the constants of the incentive constraints.

    Arrays are per party (length 2, in ``party_ids`` order) or per open step (length K). Steps
    already given before round 1 are folded into ``given_snapback``; ``order`` holds index pairs
    (before, after) into the open steps.
    """

    party_ids: tuple[str, str]
    step_ids: tuple[str, ...]
    owner: np.ndarray  # (K,) int: index of the owning party
    cost: np.ndarray  # (K,) cost to the owner
    value: np.ndarray  # (K,) value to the other side
    reversible: np.ndarray  # (K,) fraction of the value the owner can take back
    divisible: np.ndarray  # (K,) bool
    patience: np.ndarray  # (2,) δ_i
    trust: np.ndarray  # (2,) π_i
    completion: np.ndarray  # (2,) G_i
    detection: np.ndarray  # (2,) probability that party i notices the other side's shortfall
    given_snapback: np.ndarray = field(default_factory=lambda: np.zeros(2))  # (2,) R_i from given
    order: tuple[tuple[int, int], ...] = ()
    max_rounds: int = 20

    def __post_init__(self) -> None:
        k = len(self.step_ids)
        for name in ("owner", "cost", "value", "reversible", "divisible"):
            arr = np.asarray(getattr(self, name))
            if arr.shape != (k,):
                raise EngineInputError(
                    f"{name} must have one entry per step ({k}), got shape {arr.shape}"
                )
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        for name in ("patience", "trust", "completion", "detection", "given_snapback"):
            arr = np.asarray(getattr(self, name), dtype=np.float64)
            if arr.shape != (2,):
                raise EngineInputError(f"{name} must have one entry per party (2), got {arr.shape}")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
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
        raise ValueError(f"unknown party parameter {name!r}")

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


def problem_from_section(section: Sequencing) -> tuple[SequencingProblem, tuple[GivenStep, ...]]:
    """Point values of a ``sequencing:`` section as a :class:`SequencingProblem`.

    Party order is the order of ``section.parties``. Steps with ``given: true`` become constants:
    their value is already received, so their reversible part adds to the receiver's snapback
    R_i(t) in every round; their cost is sunk.
    """
    party_ids = tuple(section.parties)
    index = {pid: n for n, pid in enumerate(party_ids)}
    open_steps = [s for s in section.steps if not s.given]
    given = tuple(
        GivenStep(s.id, s.owner, s.value.point, s.reversible.point)
        for s in section.steps
        if s.given
    )
    given_snapback = np.zeros(2)
    for g in given:
        given_snapback[1 - index[g.owner]] += g.reversible * g.value
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
        order=order,
        max_rounds=section.max_rounds,
    )
    return problem, given


def slack_matrix(problem: SequencingProblem, rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """``(A, g)`` with ``slack = A @ z.ravel() + g`` of shape (2·T,), rows (party, round).

    ``z`` is (K, T) flattened row-major (step-major). Row ``i·T + t`` is party i's constraint in
    round t+1: right-hand side minus left-hand side of the incentive constraint.
    """
    horizon = rounds
    t = np.arange(horizon)[:, None]  # constraint round
    s = np.arange(horizon)[None, :]  # round in which a share is delivered
    gap = s - t
    later = gap > 0
    same = gap == 0
    up_to_now = gap <= 0
    beta = problem.beta
    q = problem.checked_by_other
    blocks = []
    constants = []
    for i in range(2):
        # β^(s−t) for s > t, else 0; clip the exponent so β = 0 never meets a negative power.
        future = np.where(later, beta[i] ** np.maximum(gap, 0), 0.0)
        pays = problem.owner == i
        cost_coef = -problem.cost[:, None, None] * (same + q[i] * future)[None, :, :]
        value_coef = (
            q[i]
            * problem.value[:, None, None]
            * (future[None, :, :] + problem.reversible[:, None, None] * up_to_now[None, :, :])
        )
        per_step = np.where(pays[:, None, None], cost_coef, value_coef)  # (K, T, T)
        blocks.append(per_step.transpose(1, 0, 2).reshape(horizon, -1))
        prize = beta[i] ** (horizon - 1 - np.arange(horizon)) * problem.completion[i]
        constants.append(q[i] * (prize + problem.given_snapback[i]))
    return np.vstack(blocks), np.concatenate(constants)


def slack_fast(problem: SequencingProblem, shares: np.ndarray) -> np.ndarray:
    """Slack (2, T) of every incentive constraint for the schedule ``shares`` (K, T), vectorised."""
    rounds = shares.shape[1]
    a, g = slack_matrix(problem, rounds)
    return (a @ shares.ravel() + g).reshape(2, rounds)


def slack_reference(problem: SequencingProblem, shares: np.ndarray) -> np.ndarray:
    """Slack (2, T) of every incentive constraint, by plain loops over the model's formula."""
    n_steps, rounds = shares.shape
    out = np.zeros((2, rounds))
    for i in range(2):
        beta = float(problem.patience[i] * problem.trust[i])
        q = float(problem.detection[1 - i])
        for t in range(rounds):
            cost_now = 0.0
            future = 0.0
            snapback = float(problem.given_snapback[i])
            for k in range(n_steps):
                mine = int(problem.owner[k]) == i
                if mine:
                    cost_now += problem.cost[k] * shares[k, t]
                else:
                    snapback += problem.reversible[k] * problem.value[k] * shares[k, : t + 1].sum()
                for later in range(t + 1, rounds):
                    weight = beta ** (later - t)
                    if mine:
                        future -= weight * problem.cost[k] * shares[k, later]
                    else:
                        future += weight * problem.value[k] * shares[k, later]
            prize = beta ** (rounds - 1 - t) * problem.completion[i]
            out[i, t] = q * (future + prize + snapback) - cost_now
    return out
