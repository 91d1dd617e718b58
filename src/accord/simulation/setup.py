"""The array-level description of one negotiation, shared by the scalar and the batch engine.

A negotiation is fully described by NumPy arrays, independent of the scenario model:

* ``utilities`` (n_outcomes, n_parties): each party's undiscounted utility of every outcome;
* ``reservation`` (n_parties,): the utility of no agreement (the walk-away value);
* ``discount`` (n_parties,): the per-round discount factor δ in (0, 1] (1 = no discounting);
* ``deadline``: the number of rounds T; ``opener``: the index of the party that proposes first;
* ``outside_options``: ``(party, round, value)`` events — from ``round`` (1-based) on, the party's
  walk-away value is ``value`` (a "plan B" that appears, improves or vanishes);
* ``issue_codes`` (n_outcomes, n_issues): the value index of each issue in each outcome, which the
  working-level agent's frequency model counts.

**What each party knows** (``information``). A party knows its own utilities and walk-away
value, the protocol, the deadline and every discount factor. What it knows of the others is a
*belief*, which is all the strategies ever read (:class:`~accord.simulation.strategies.PartyView`):

* ``"beliefs"`` (the default): the others' issue weights are unknown and taken as equal, the mean
  of a symmetric Dirichlet prior on the weights — under which, because a linear-additive utility
  is linear in its weights, the expected utility of an outcome is exactly the equal-weight average
  of the per-issue values. The per-issue value functions themselves are assumed known: which way
  each side wants each issue to go is its public position, how much it cares about each issue is
  private (the hypothesis space of Bayesian opponent models, Hindriks & Tykhonov 2008, *Opponent
  modelling in automated multi-issue negotiation using Bayesian learning*, §3, with the weights
  left at their prior). They are recovered from the utilities as the issues' main effects (exact
  for linear-additive utilities over the full product of the issue codes, an additive
  approximation otherwise), each normalised to [0, 1] as GENIUS normalises value functions.
  The others' walk-away values are unknown, with a uniform prior on [0, 1], whose mean 0.5 is the
  point a strategy uses; ``believed_reservation`` overrides it (a scenario's ``information:``
  section gives each holder's belief, :mod:`accord.simulation.from_scenario`).
* ``"complete"``: every party knows every utility and walk-away value (the model of the issue 3
  engine, and of Rubinstein 1982).

Explicit ``believed_utilities`` (holder, outcome, about) and ``believed_reservation``
(holder, about) replace either default.

**Discounting** (``discounting``). A deal in round t (0-based) is worth δ_i^t·u_i(x). Walking away
in round t is worth δ_i^t·r_i(t) under ``"deals-and-walkaway"``, the default: the convention of
GENIUS (Lin et al. 2014, *Genius: an integrated environment for supporting the design of generic
automated negotiators*, whose utility spaces discount the reservation value like any agreement)
and of the ANAC competitions since 2012; what waiting costs is then the gain over the bottom
line, as in Fudenberg & Tirole (1983). Under ``"deals-only"`` it is worth r_i(t): a plan B is
worth what it is worth when taken (the issue 3 engine). ``walkaway_schedule`` holds that value
per party and round; the engines compare offers with it and pay it when there is no deal (at the
final round t = T − 1 when the deadline passes). The strategies' own aspiration levels use the
undiscounted r_i(t) under both conventions.

Example::

    >>> import numpy as np
    >>> u = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    >>> s = NegotiationSetup.create(u, deadline=10, outside_options=((1, 5, 0.4),))
    >>> float(s.reservation_schedule[1, 3]), float(s.reservation_schedule[1, 4])
    (0.0, 0.4)
    >>> s.believed_reservation.tolist()  # own value known, the other's at the prior mean
    [[0.0, 0.5], [0.5, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import EngineInputError
from accord.simulation.streams import stream_uniforms

MAX_DEADLINE = 100_000
INFORMATION = ("beliefs", "complete")
DISCOUNTING = ("deals-and-walkaway", "deals-only")
UNKNOWN_RESERVATION = 0.5  # the mean of the uniform prior on [0, 1] for an unknown walk-away value
FLAT = 1e-9  # an issue whose main effect spans less than this share of the utility range is flat


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def equal_weight_estimate(utilities: np.ndarray, issue_codes: np.ndarray) -> np.ndarray:
    """Each party's utility as the others estimate it: equal weights on known value functions.

    For party j and issue k the value function is the main effect of issue k on u_j (the mean of
    u_j over the outcomes with each value of k), normalised to [0, 1]; an issue on which u_j does
    not depend gets value 0. The estimate is the average over the issues (see the module
    docstring for the model). Returns (n_outcomes, n_parties) in [0, 1].
    """
    u = np.asarray(utilities, dtype=np.float64)
    return equal_weight_estimates(u[None], issue_codes)[0]


def equal_weight_estimates(utilities: np.ndarray, issue_codes: np.ndarray) -> np.ndarray:
    """:func:`equal_weight_estimate` of many negotiations (B, n, p) sharing ``issue_codes``.

    ``np.bincount`` sums each bin in outcome order, so a negotiation gets the same bits alone or
    in a batch (the batch engine's front ends rely on it).
    """
    u3 = np.asarray(utilities, dtype=np.float64)
    codes = np.asarray(issue_codes, dtype=np.int64)
    runs, n, p = u3.shape
    n_issues = codes.shape[1]
    # Party-major (p, B, n): NumPy reduces and gathers along a last axis of length p slowly.
    ut = np.ascontiguousarray(u3.transpose(2, 0, 1))
    est = np.zeros((p, runs, n))
    if n_issues == 0:
        return np.ascontiguousarray(est.transpose(1, 2, 0))
    with np.errstate(invalid="ignore"):  # non-finite rows are the caller's to report
        span = ut.max(axis=2) - ut.min(axis=2)  # (p, runs)
        for k in range(n_issues):
            c = codes[:, k]
            size = int(c.max()) + 1
            counts = np.bincount(c, minlength=size)
            present = counts > 0
            step = max(1, 1_000_000 // size)  # negotiations per bincount: bounded memory
            for first in range(0, runs, step):
                rows = slice(first, min(runs, first + step))
                m = rows.stop - first
                index = (np.arange(m)[:, None] * size + c[None, :]).ravel()
                for j in range(p):
                    sums = np.bincount(
                        index, weights=ut[j, rows].ravel(), minlength=m * size
                    ).reshape(m, size)
                    means = sums[:, present] / counts[present]
                    lo, hi = means.min(axis=1), means.max(axis=1)
                    varies = hi - lo > FLAT * span[j, rows]
                    table = np.zeros((m, size))
                    width = np.where(varies, hi - lo, 1.0)
                    table[:, present] = np.where(
                        varies[:, None], (means - lo[:, None]) / width[:, None], 0.0
                    )
                    est[j, rows] += table[:, c]
    est /= n_issues
    return np.ascontiguousarray(est.transpose(1, 2, 0))


def others_score(believed: np.ndarray) -> np.ndarray:
    """(n_outcomes, n_parties): column i is the smallest believed utility among i's others.

    ``believed`` is (holder, outcome, about); the holder's own column is ignored.
    """
    p = believed.shape[0]
    out = np.empty((believed.shape[1], p))
    for i in range(p):
        out[:, i] = np.delete(believed[i], i, axis=1).min(axis=1)
    return out


def shared_others_score(believed: np.ndarray) -> np.ndarray:
    """:func:`others_score` when every holder holds the same beliefs ``believed`` (..., n, p).

    A minimum is exact, so this gives the bits of ``others_score(broadcast(believed))``.
    """
    p = believed.shape[-1]
    columns = [np.ascontiguousarray(believed[..., j]) for j in range(p)]
    out = np.empty(believed.shape)
    for i in range(p):
        others = [columns[j] for j in range(p) if j != i]
        out[..., i] = others[0] if len(others) == 1 else np.minimum.reduce(others)
    return out


@dataclass(frozen=True, eq=False)
class NegotiationSetup:
    """Arrays describing one negotiation (see the module docstring). Build with :meth:`create`."""

    utilities: np.ndarray
    reservation: np.ndarray
    discount: np.ndarray
    deadline: int
    opener: int
    outside_options: tuple[tuple[int, int, float], ...]
    issue_codes: np.ndarray
    reservation_schedule: np.ndarray  # (n_parties, deadline): walk-away value in each round
    discount_powers: np.ndarray  # (n_parties, deadline + 1): δ_i ** t
    information: str = "beliefs"
    discounting: str = "deals-and-walkaway"
    # (n_outcomes, n_parties): column i is what party i believes the worst-off other party gets
    believed_others: np.ndarray | None = None
    believed_reservation: np.ndarray | None = None  # (holder, about); the diagonal is the truth
    # (n_parties, deadline): what walking away in round t is worth, in the units of δ^t·u
    walkaway_schedule: np.ndarray | None = None

    @property
    def n_outcomes(self) -> int:
        return int(self.utilities.shape[0])

    @property
    def n_parties(self) -> int:
        return int(self.utilities.shape[1])

    @property
    def scores(self) -> np.ndarray:
        """``believed_others``, always set by :meth:`create`."""
        assert self.believed_others is not None
        return self.believed_others

    @property
    def walkaway(self) -> np.ndarray:
        """``walkaway_schedule``, always set by :meth:`create`."""
        assert self.walkaway_schedule is not None
        return self.walkaway_schedule

    @property
    def beliefs_about_reservation(self) -> np.ndarray:
        """``believed_reservation``, always set by :meth:`create`."""
        assert self.believed_reservation is not None
        return self.believed_reservation

    def model_options(self) -> dict[str, Any]:
        """The information model and discounting convention as keyword arguments.

        ``simulate_batch_arrays(..., **setup.model_options())`` plays sampled variants of this
        setup under the same model (each sample's own walk-away value stays on the diagonal).
        """
        return {
            "information": self.information,
            "discounting": self.discounting,
            "believed_reservation": (
                None if self.information == "complete" else np.array(self.believed_reservation)
            ),
        }

    @classmethod
    def create(
        cls,
        utilities: np.ndarray,
        reservation: Sequence[float] | np.ndarray | None = None,
        discount: Sequence[float] | np.ndarray | None = None,
        deadline: int = 100,
        opener: int = 0,
        outside_options: Sequence[tuple[int, int, float]] = (),
        issue_codes: np.ndarray | None = None,
        *,
        information: str = "beliefs",
        discounting: str = "deals-and-walkaway",
        believed_utilities: np.ndarray | None = None,
        believed_reservation: np.ndarray | Sequence[Sequence[float]] | None = None,
    ) -> NegotiationSetup:
        """Validate the arrays and precompute the per-round tables and the parties' beliefs."""
        u = np.asarray(utilities, dtype=np.float64)
        if u.ndim != 2 or u.shape[0] < 1 or u.shape[1] < 2:
            raise EngineInputError(
                "utilities must be a matrix (n_outcomes, n_parties) with at least one outcome and "
                f"two parties; got shape {u.shape}"
            )
        if not np.all(np.isfinite(u)):
            raise EngineInputError("utilities must be finite numbers")
        n, p = u.shape
        res = np.zeros(p) if reservation is None else np.asarray(reservation, dtype=np.float64)
        disc = np.ones(p) if discount is None else np.asarray(discount, dtype=np.float64)
        if res.shape != (p,) or not np.all(np.isfinite(res)):
            raise EngineInputError(f"reservation: give one finite number per party ({p})")
        if disc.shape != (p,) or not np.all((disc > 0) & (disc <= 1)):
            raise EngineInputError(f"discount: give one factor in (0, 1] per party ({p})")
        if not isinstance(deadline, int | np.integer) or not 1 <= deadline <= MAX_DEADLINE:
            raise EngineInputError(
                f"deadline must be a whole number of rounds in [1, {MAX_DEADLINE}], got {deadline}"
            )
        deadline = int(deadline)
        if not 0 <= opener < p:
            raise EngineInputError(f"opener must be a party index in [0, {p - 1}], got {opener}")
        if information not in INFORMATION:
            raise EngineInputError(
                f"information must be one of: {', '.join(INFORMATION)}; got '{information}'"
            )
        if discounting not in DISCOUNTING:
            raise EngineInputError(
                f"discounting must be one of: {', '.join(DISCOUNTING)}; got '{discounting}'"
            )
        schedule = np.repeat(res[:, None], deadline, axis=1)
        events = []
        for party, rnd, value in sorted(outside_options, key=lambda e: (e[0], e[1])):
            if not 0 <= party < p:
                raise EngineInputError(f"outside option: party index {party} is not in [0, {p})")
            if rnd < 1:
                raise EngineInputError(f"outside option: round must be >= 1, got {rnd}")
            if not np.isfinite(value):
                raise EngineInputError("outside option: value must be a finite number")
            events.append((int(party), int(rnd), float(value)))
            # Later events override earlier ones: the plan B in force from that round on.
            schedule[party, min(rnd - 1, deadline) :] = value
        if issue_codes is None:
            codes = np.arange(n, dtype=np.int64)[:, None]
        else:
            codes = np.asarray(issue_codes, dtype=np.int64)
            if codes.ndim != 2 or codes.shape[0] != n or (codes.size and codes.min() < 0):
                raise EngineInputError(
                    "issue_codes must be non-negative integers of shape (n_outcomes, n_issues)"
                )
        powers = disc[:, None] ** np.arange(deadline + 1, dtype=np.float64)[None, :]
        scores, believed_res = belief_arrays(
            u, res, codes, information, believed_utilities, believed_reservation
        )
        walk = walkaway_values(schedule, powers, discounting)
        return cls(
            utilities=_frozen(u),
            reservation=_frozen(res),
            discount=_frozen(disc),
            deadline=deadline,
            opener=int(opener),
            outside_options=tuple(events),
            issue_codes=_frozen(codes),
            reservation_schedule=_frozen(schedule),
            discount_powers=_frozen(powers),
            information=information,
            discounting=discounting,
            believed_others=_frozen(scores),
            believed_reservation=_frozen(believed_res),
            walkaway_schedule=_frozen(walk),
        )


def walkaway_values(schedule: np.ndarray, powers: np.ndarray, discounting: str) -> np.ndarray:
    """What walking away in round t is worth: δ^t·r(t) (deals-and-walkaway) or r(t) (deals-only).

    ``schedule`` is (..., deadline), ``powers`` (..., deadline + 1) of δ^t, as in the setup.
    """
    if discounting == "deals-only":
        return np.array(schedule, dtype=np.float64)
    return powers[..., : schedule.shape[-1]] * schedule


def belief_arrays(
    u: np.ndarray,
    reservation: np.ndarray,
    codes: np.ndarray,
    information: str,
    believed_utilities: np.ndarray | None = None,
    believed_reservation: np.ndarray | Sequence[Sequence[float]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The strategies' scores (n_outcomes, n_parties) and beliefs about walk-away values (p, p).

    See the module docstring for the two information models; explicit beliefs replace the
    defaults of ``"beliefs"`` and are refused with ``"complete"``.
    """
    n, p = u.shape
    if information == "complete":
        if believed_utilities is not None or believed_reservation is not None:
            raise EngineInputError(
                "information 'complete' means every party knows the truth; give beliefs only "
                "with information 'beliefs'"
            )
        believed = np.broadcast_to(u, (p, n, p))
        return others_score(believed), np.repeat(reservation[None, :], p, axis=0)
    if believed_utilities is None:
        believed = np.broadcast_to(equal_weight_estimate(u, codes), (p, n, p))
    else:
        believed = np.asarray(believed_utilities, dtype=np.float64)
        if believed.shape != (p, n, p) or not np.all(np.isfinite(believed)):
            raise EngineInputError(
                "believed_utilities must be finite, of shape (holder, outcome, about) = "
                f"{(p, n, p)}"
            )
    if believed_reservation is None:
        res_belief = np.full((p, p), UNKNOWN_RESERVATION)
    else:
        res_belief = np.array(believed_reservation, dtype=np.float64)
        if res_belief.shape != (p, p) or not np.all(np.isfinite(res_belief)):
            raise EngineInputError(
                f"believed_reservation must be finite, of shape (holder, about) = {(p, p)}"
            )
    np.fill_diagonal(res_belief, reservation)  # everyone knows its own walk-away value
    return others_score(believed), res_belief


def negotiation_draws(
    seed: int, runs: int, n_parties: int, deadline: int, start: int = 0, stop: int | None = None
) -> np.ndarray:
    """Uniform draws (runs, n_parties, deadline) for stochastic strategies.

    Negotiation ``k`` draws from its own stream ``SeedSequence(seed).spawn(runs)[k]``, so run
    ``k`` gives the same result whether it is played alone, in a batch or in a block of any size.
    Party ``i`` uses ``draws[k, i, t]`` in round ``t``. ``start``/``stop`` select runs of a chunk.
    The numbers come from one compiled loop (:mod:`accord.simulation.streams`), bit for bit
    those of :func:`draws_from_streams`, the NumPy reference.
    """
    stop = runs if stop is None else min(stop, runs)
    return stream_uniforms(seed, start, stop, n_parties, deadline)


def negotiation_streams(seed: int, start: int, stop: int) -> list[np.random.SeedSequence]:
    """Streams ``start..stop-1`` of ``SeedSequence(seed).spawn(runs)``, built without the rest.

    Child k of a spawn is ``SeedSequence(seed, spawn_key=(k,))``, so a chunk of a huge run needs
    memory for its own streams only.
    """
    return [np.random.SeedSequence(seed, spawn_key=(k,)) for k in range(start, stop)]


def draws_from_streams(
    streams: list[np.random.SeedSequence], n_parties: int, deadline: int
) -> np.ndarray:
    """One (n_parties, deadline) block of uniforms per stream, as in :func:`negotiation_draws`.

    The readable reference: one NumPy generator per stream (the engines use the compiled
    :func:`~accord.simulation.streams.stream_uniforms`, which tests check against it).
    """
    out = np.empty((len(streams), n_parties, deadline))
    for k, child in enumerate(streams):
        out[k] = np.random.Generator(np.random.PCG64(child)).random((n_parties, deadline))
    return out
