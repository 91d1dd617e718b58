"""The batch engine: thousands of negotiations at once, compiled with Numba, parallel over runs.

It plays exactly the protocol of :mod:`accord.simulation.scalar` with the built-in strategies, and
gives identical agreements, rounds and utilities for the same inputs and seed (tests check this on
many random scenarios). This module holds the two front ends (one setup, many runs; or many
setups given as arrays), which share one preparation of the kernel's inputs; the compiled parts
are :mod:`.ranking` (the outcome rankings) and :mod:`.kernel` (the protocol loop). What makes it
fast:

* per negotiation and party, the outcomes are ranked by own utility (descending, ties by outcome
  number) lazily: one scan finds the best and worst utility, a second collects the top quarter of
  the range and counting-sorts it into about one bucket per outcome; the rest is collected only if
  an aspiration falls below that quarter, and a bucket is sorted (insertion sort: it holds about
  one outcome) only when an aspiration reaches it. "The outcomes worth at least my aspiration" is
  then a prefix, whose end a binary search inside one bucket finds;
* for strategies that rank offers by the others' (believed) utilities, a running argmax along that
  order gives the best outcome for the others within every prefix, so each offer costs O(1)
  instead of O(n). The kernel reads the others' utilities only as each party believes them
  (``NegotiationSetup.believed_others``), exactly as the scalar strategies do;
* negotiations run in parallel (``numba.prange``) over blocks that reuse one set of packed work
  arrays, so nothing is allocated per negotiation, and in chunks, so memory stays bounded.

The ranking is distribution counting (Knuth, *The Art of Computer Programming* vol. 3, §5.2,
Algorithm D) into buckets, made lazy; the scalar engine (:mod:`.scalar`) is the readable
reference it is tested against.

Strategies without a batch branch (third-party ones) fall back to the scalar engine.

Example::

    >>> import numpy as np
    >>> from accord.simulation.strategies import parse_strategy
    >>> u = np.array([[1.0, 0.0], [0.6, 0.4], [0.4, 0.6], [0.0, 1.0]])
    >>> setup = NegotiationSetup.create(u, deadline=10)
    >>> linear = parse_strategy("linear")
    >>> r = simulate_batch(setup, [linear, linear], runs=3, seed=1)
    >>> r.agreement.tolist(), r.rounds.tolist()
    ([2, 2, 2], [6, 6, 6])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.simulation.kernel import END_INVALID, play_batch
from accord.simulation.registry import (
    KIND_RUBINSTEIN,
    KIND_TIME,
    KIND_WORKING_LEVEL,
    N_KERNEL_PARAMS,
    StrategySpec,
)
from accord.simulation.results import BatchResult
from accord.simulation.scalar import simulate_scalar
from accord.simulation.setup import (
    NegotiationSetup,
    draws_from_streams,
    equal_weight_estimates,
    negotiation_draws,
    negotiation_streams,
    shared_others_score,
    walkaway_values,
)

DEFAULT_CHUNK = 8192
INPUT_ERROR = "utilities and reservations must be finite, discounts in (0, 1]"


def _time_curve(strategies: Sequence[StrategySpec], deadline: int) -> np.ndarray:
    """(t/T)^(1/e) per party and round, computed exactly as the scalar strategies compute it."""
    curve = np.zeros((len(strategies), deadline + 1))
    for i, spec in enumerate(strategies):
        e = dict(spec.params).get("e")
        if e is not None and spec.info.kernel in (KIND_TIME, KIND_WORKING_LEVEL):
            curve[i] = [(t / deadline) ** (1.0 / e) for t in range(deadline + 1)]
    return curve


def _kinds_and_params(
    strategies: Sequence[StrategySpec], setup: NegotiationSetup
) -> tuple[np.ndarray, np.ndarray] | None:
    kinds = np.empty(len(strategies), np.int64)
    params = np.zeros((len(strategies), N_KERNEL_PARAMS))
    for i, spec in enumerate(strategies):
        info = spec.info
        if info.kernel is None:
            return None
        kinds[i] = info.kernel
        values = spec.create().kernel_params(setup, i)
        params[i, : len(values)] = values
    return kinds, params


@dataclass(frozen=True, eq=False)
class _KernelInputs:
    """What :func:`~accord.simulation.kernel.play_batch` plays, prepared once per front end.

    The per-negotiation arrays have a leading axis of length 1 (shared by every negotiation) or
    one entry per negotiation; they are writable copies, because the setup's read-only arrays
    would make Numba compile a second variant.
    """

    u3: np.ndarray
    score3: np.ndarray
    res3: np.ndarray
    walk3: np.ndarray
    disc3: np.ndarray
    params3: np.ndarray
    kinds: np.ndarray
    codes: np.ndarray
    curve: np.ndarray
    n_values: int
    deadline: int
    opener: int

    @classmethod
    def build(
        cls,
        strategies: Sequence[StrategySpec],
        kinds: np.ndarray,
        deadline: int,
        opener: int,
        codes: np.ndarray,
        **arrays: np.ndarray,
    ) -> _KernelInputs:
        codes = np.array(codes)
        return cls(
            **{k: np.require(v, requirements=["C", "W"]) for k, v in arrays.items()},
            kinds=kinds,
            codes=codes,
            curve=_time_curve(strategies, deadline),
            n_values=int(codes.max()) + 1 if codes.size else 1,
            deadline=deadline,
            opener=opener,
        )

    def play(self, draws: np.ndarray, out: Sequence[np.ndarray]) -> None:
        play_batch(
            self.u3, self.score3, self.res3, self.walk3, self.disc3, self.deadline, self.opener,
            self.kinds, self.params3, self.curve, draws, self.codes, self.n_values, *out,
        )  # fmt: skip


def simulate_batch(
    setup: NegotiationSetup,
    strategies: Sequence[StrategySpec],
    runs: int,
    seed: int,
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Play ``runs`` negotiations of one setup; run k uses stream k of ``seed``.

    Falls back to :func:`simulate_scalar` when a strategy has no batch branch.
    """
    if len(strategies) != setup.n_parties:
        raise ValueError(f"give one strategy per party ({setup.n_parties}), got {len(strategies)}")
    packed = _kinds_and_params(strategies, setup)
    if packed is None:
        return simulate_scalar(setup, strategies, runs, seed, progress)
    kinds, params = packed
    stochastic = any(s.info.stochastic for s in strategies)
    p, deadline = setup.n_parties, setup.deadline
    out = _empty_outputs(runs, p)
    inputs = _KernelInputs.build(
        strategies, kinds, deadline, setup.opener, setup.issue_codes,
        u3=setup.utilities[None], score3=setup.scores[None],
        res3=setup.reservation_schedule[None], walk3=setup.walkaway[None],
        disc3=setup.discount_powers[None], params3=params[None],
    )  # fmt: skip
    for start in range(0, runs, chunk):
        stop = min(runs, start + chunk)
        draws = (
            draws_from_streams(negotiation_streams(seed, start, stop), p, deadline)
            if stochastic
            else np.zeros((1, p, deadline))
        )
        inputs.play(draws, [a[start:stop] for a in out])
        if progress is not None:
            progress(stop - start)
    return _result(out, strategies, seed)


def simulate_batch_arrays(
    utilities: np.ndarray,
    reservation: np.ndarray,
    discount: np.ndarray,
    deadline: int,
    strategies: Sequence[StrategySpec],
    seed: int,
    opener: int = 0,
    issue_codes: np.ndarray | None = None,
    *,
    information: str = "beliefs",
    discounting: str = "deals-and-walkaway",
    believed_reservation: np.ndarray | None = None,
) -> BatchResult:
    """Many negotiations with their own utilities (B, n, p), reservations and discounts (B, p).

    Run k is the negotiation of ``NegotiationSetup.create(utilities[k], reservation[k],
    discount[k], deadline, opener, issue_codes=issue_codes, information=information,
    discounting=discounting, believed_reservation=believed_reservation)`` with stream k of
    ``seed``: each negotiation's beliefs are built from its own utilities, as the setup builds
    them. ``believed_reservation`` (holder, about) is shared by every negotiation.
    """
    u3 = np.ascontiguousarray(utilities, dtype=np.float64)
    runs, _n, p = u3.shape
    res = np.asarray(reservation, dtype=np.float64).reshape(runs, p)
    disc = np.asarray(discount, dtype=np.float64).reshape(runs, p)
    common: dict[str, Any] = {
        "information": information,
        "discounting": discounting,
        "believed_reservation": believed_reservation,
    }
    first = NegotiationSetup.create(
        u3[0], res[0], disc[0], deadline, opener, (), issue_codes, **common
    )
    kinds = np.array([s.info.kernel for s in strategies], np.int64)
    if any(s.info.kernel is None for s in strategies):
        raise ValueError("simulate_batch_arrays needs strategies with a batch branch")
    if not (np.all((disc > 0) & (disc <= 1)) and np.all(np.isfinite(res))):
        raise ValueError(INPUT_ERROR)
    codes = np.array(first.issue_codes)
    # Each negotiation's beliefs from its own utilities, all at once and with the bits the
    # setup computes (the module docstring of .setup gives the model).
    if information == "complete":
        score3 = shared_others_score(u3)
    else:
        score3 = shared_others_score(equal_weight_estimates(u3, codes))
    if any(s.info.kernel == KIND_RUBINSTEIN for s in strategies):
        params3 = np.zeros((runs, p, N_KERNEL_PARAMS))
        for k in range(runs):
            one = NegotiationSetup.create(
                u3[k], res[k], disc[k], deadline, opener, (), issue_codes, **common
            )
            packed = _kinds_and_params(strategies, one)
            assert packed is not None
            params3[k] = packed[1]
    else:
        packed = _kinds_and_params(strategies, first)
        assert packed is not None
        params3 = packed[1][None]
    # Rows shared by every negotiation are passed once (the kernel broadcasts a leading 1).
    if np.all(res == res[0]):
        res = res[:1]
    if np.all(disc == disc[0]):
        disc = disc[:1]
    res3 = np.repeat(res[:, :, None], deadline, axis=2)
    # δ^t for each distinct δ only (the same NumPy power NegotiationSetup.create uses).
    distinct, which = np.unique(disc, return_inverse=True)
    powers = distinct[:, None] ** np.arange(deadline + 1, dtype=np.float64)[None, :]
    disc3 = powers[which.reshape(disc.shape)]
    inputs = _KernelInputs.build(
        strategies, kinds, deadline, opener, codes,
        u3=u3, score3=score3, res3=res3, walk3=walkaway_values(res3, disc3, discounting),
        disc3=disc3, params3=params3,
    )  # fmt: skip
    stochastic = any(s.info.stochastic for s in strategies)
    draws = negotiation_draws(seed, runs, p, deadline) if stochastic else np.zeros((1, p, deadline))
    out = _empty_outputs(runs, p)
    inputs.play(draws, out)
    if np.any(out[2] == END_INVALID):
        raise ValueError(INPUT_ERROR)
    return _result(out, strategies, seed)


def _empty_outputs(runs: int, p: int) -> tuple[np.ndarray, ...]:
    return (
        np.empty(runs, np.int64),
        np.empty(runs, np.int64),
        np.empty(runs, np.int8),
        np.empty(runs, np.int64),
        np.empty((runs, p)),
    )


def _result(
    out: tuple[np.ndarray, ...], strategies: Sequence[StrategySpec], seed: int
) -> BatchResult:
    agreement, rounds, end, walker, utilities = out
    return BatchResult(
        agreement=agreement,
        rounds=rounds,
        end=end,
        walked_away=walker,
        utilities=utilities,
        strategies=tuple(str(s) for s in strategies),
        seed=seed,
        engine="batch",
    )
