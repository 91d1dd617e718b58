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

Example::

    >>> import numpy as np
    >>> u = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    >>> s = NegotiationSetup.create(u, deadline=10, outside_options=((1, 5, 0.4),))
    >>> float(s.reservation_schedule[1, 3]), float(s.reservation_schedule[1, 4])
    (0.0, 0.4)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.errors import EngineInputError

MAX_DEADLINE = 100_000


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


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

    @property
    def n_outcomes(self) -> int:
        return int(self.utilities.shape[0])

    @property
    def n_parties(self) -> int:
        return int(self.utilities.shape[1])

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
    ) -> NegotiationSetup:
        """Validate the arrays and precompute the per-round reservation and discount tables."""
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
        )


def negotiation_draws(
    seed: int, runs: int, n_parties: int, deadline: int, start: int = 0, stop: int | None = None
) -> np.ndarray:
    """Uniform draws (runs, n_parties, deadline) for stochastic strategies.

    Negotiation ``k`` draws from its own stream ``SeedSequence(seed).spawn(runs)[k]`` (DESIGN.md
    §4), so run ``k`` gives the same result whether it is played alone, in a batch or in a chunk.
    Party ``i`` uses ``draws[k, i, t]`` in round ``t``. ``start``/``stop`` select runs of a chunk.
    """
    stop = runs if stop is None else min(stop, runs)
    return draws_from_streams(negotiation_streams(seed, start, stop), n_parties, deadline)


def negotiation_streams(seed: int, start: int, stop: int) -> list[np.random.SeedSequence]:
    """Streams ``start..stop-1`` of ``SeedSequence(seed).spawn(runs)``, built without the rest.

    Child k of a spawn is ``SeedSequence(seed, spawn_key=(k,))``, so a chunk of a huge run needs
    memory for its own streams only.
    """
    return [np.random.SeedSequence(seed, spawn_key=(k,)) for k in range(start, stop)]


def draws_from_streams(
    streams: list[np.random.SeedSequence], n_parties: int, deadline: int
) -> np.ndarray:
    """One (n_parties, deadline) block of uniforms per stream, as in :func:`negotiation_draws`."""
    out = np.empty((len(streams), n_parties, deadline))
    for k, child in enumerate(streams):
        out[k] = np.random.Generator(np.random.PCG64(child)).random((n_parties, deadline))
    return out
