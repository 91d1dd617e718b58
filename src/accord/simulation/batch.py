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
* negotiations that share their utilities and beliefs (every run of one setup) share one
  ranking: each set of work arrays ranks once and continues that ranking run after run;
* negotiations run in parallel (``numba.prange``) over blocks that reuse one set of packed work
  arrays, so nothing is allocated per negotiation, and in chunks, so memory stays bounded. A batch
  of fewer than ``PARALLEL_MIN_ROUNDS`` negotiation-rounds plays on the calling thread
  (``kernel.play_serial``, the same negotiations): a parallel region costs more than it saves
  there, and idle worker threads compete for the cores of a loaded machine;
* the stochastic strategies' draws come from one compiled loop (:mod:`.streams`) instead of one
  NumPy generator per negotiation, with the same bits.

Issue 18 asked for the web app's ``simulate`` panel on Hanoi (232 batches per evaluation, 46 of
them 1,000 runs of a random strategy) to run well under a second: NumPy's per-negotiation
generators took most of the time and the parallel regions most of the rest
(``benchmarks/bench_simulation.py`` times the old path against the new, side by side).

**Memory** (issue 19). The random draws and the per-negotiation tables (walk-away values and
discount powers, when they differ between negotiations) are made block by block: a block holds
at most ``DRAW_BLOCK_BYTES`` of them (and fewer runs when the memory budget is tighter), however
many runs and rounds are asked for. Run ``k`` still draws from its own stream ``k`` of the seed
(:func:`~accord.simulation.setup.negotiation_draws`): the stream layout is per run, not per
block, so a result does not depend on the block size. Before allocating, each front end
estimates its peak memory (:func:`simulation_memory`) and refuses, with an
:class:`~accord.errors.EngineInputError` naming the estimate and what to lower, when it is over
the budget of :mod:`accord.budget`.

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
from dataclasses import dataclass, replace
from typing import Any

import numba
import numpy as np

from accord.budget import check_memory, memory_budget
from accord.simulation.kernel import BLOCK, END_INVALID, play_batch, play_serial
from accord.simulation.registry import (
    KIND_RUBINSTEIN,
    KIND_TIME,
    KIND_WORKING_LEVEL,
    N_KERNEL_PARAMS,
    StrategySpec,
    parse_strategy,
)
from accord.simulation.results import BatchResult
from accord.simulation.scalar import simulate_scalar
from accord.simulation.setup import (
    NegotiationSetup,
    equal_weight_estimates,
    shared_others_score,
    walkaway_values,
)
from accord.simulation.streams import stream_uniforms

DEFAULT_CHUNK = 8192
INPUT_ERROR = "utilities and reservations must be finite, discounts in (0, 1]"
DRAW_BLOCK_BYTES = 64 * 1024**2  # at most this much of random draws and per-run tables at once
# Below this many negotiation-rounds (runs × deadline) a batch plays on the calling thread
# (kernel.play_serial). On a busy 2-core machine 1,000 Hanoi runs (12 rounds) took 2.1 ms on one
# thread and 21.6 ms in a parallel region, whose wake-up and barrier cost more than the work;
# only batches of several milliseconds of work can gain from more threads.
PARALLEL_MIN_ROUNDS = 200_000
FLOAT = 8  # bytes of a float64 or an int64
# Bytes per negotiation of the outputs: agreement, rounds, walker (int64), end (int8), and the
# utilities (one float64 per party, added where used).
OUTPUT_BYTES = 3 * FLOAT + 1


def kernel_work_bytes(n_outcomes: int, n_parties: int, n_issues: int, n_values: int) -> float:
    """Bytes of the work arrays one thread of :func:`~.kernel.play_batch` holds at its peak.

    The rankings (``ranks``, ``levels``, ``scratch``), the frequency model's tables and the
    temporaries of the stable sort in :mod:`.ranking` (three arrays of up to n outcomes).
    """
    n, p = float(n_outcomes), float(n_parties)
    cells = 3 * p * (n + 2) + p * n + 3 * (n + 2) + 3 * n
    cells += p * n_issues * n_values + 3 * p * n_issues + 2 * p * p + 10 * p
    return FLOAT * cells


def simulation_memory(
    runs: int,
    n_outcomes: int,
    n_parties: int,
    deadline: int,
    n_issues: int,
    n_values: int,
    *,
    per_run_bytes: float,
    fixed_bytes: float = 0.0,
    chunk: int = DEFAULT_CHUNK,
    budget: int | None = None,
) -> tuple[int, float, float]:
    """The runs per block, the estimated peak bytes of one call of a batch front end, the budget.

    ``per_run_bytes`` is what each negotiation of a block needs (its random draws and its own
    tables), ``fixed_bytes`` what the call holds whatever the block (beliefs of many
    negotiations). The estimate adds the outputs, the kernel's own copies of the setup's tables
    and one set of work arrays per thread. The block holds at most ``DRAW_BLOCK_BYTES`` of
    per-run data, less when the memory budget leaves less room, and at least one negotiation.
    """
    p, t = float(n_parties), float(deadline)
    fixed = fixed_bytes + runs * (OUTPUT_BYTES + FLOAT * p)
    fixed += FLOAT * (2 * n_outcomes * p + 4 * p * (t + 1))  # u, score, res, walk, disc, curve
    threads = min(numba.get_num_threads(), max(1, -(-runs // BLOCK)))
    fixed += threads * kernel_work_bytes(n_outcomes, n_parties, n_issues, n_values)
    limit = budget if budget is not None else memory_budget()[0]
    room = min(float(DRAW_BLOCK_BYTES), limit - fixed)
    block = 1 if per_run_bytes <= 0 else int(room // per_run_bytes)
    block = max(1, min(chunk, runs, block))
    return block, fixed + block * per_run_bytes, limit


def _refuse_over_budget(
    estimate: float,
    limit: float,
    runs: int,
    n_outcomes: int,
    n_parties: int,
    deadline: int,
    budget: int | None,
) -> None:
    """:func:`accord.budget.check_memory` with the simulation's wording of what and way out."""
    if estimate <= limit:
        return  # within the budget simulation_memory read (check_memory would read it again)
    check_memory(
        estimate,
        f"simulating {runs:,} negotiation(s) of up to {deadline:,} rounds between {n_parties} "
        f"parties over {n_outcomes:,} outcomes",
        f"Lower the number of runs (simulation.runs or --runs, now {runs:,}), the deadline "
        f"(simulation.deadline, now {deadline:,}) or the number of outcomes (coarser steps on "
        "numeric issues)",
        budget=budget,
    )


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

    def with_rows(self, **arrays: np.ndarray) -> _KernelInputs:
        """The same inputs with some per-negotiation arrays replaced (one block of runs)."""
        writable: dict[str, Any] = {
            k: np.require(v, requirements=["C", "W"]) for k, v in arrays.items()
        }
        return replace(self, **writable)

    def play(self, draws: np.ndarray, out: Sequence[np.ndarray]) -> None:
        runs = out[0].shape[0]
        parallel = runs > BLOCK and runs * self.deadline >= PARALLEL_MIN_ROUNDS
        (play_batch if parallel else play_serial)(
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
    *,
    budget: int | None = None,
) -> BatchResult:
    """Play ``runs`` negotiations of one setup; run k uses stream k of ``seed``.

    Runs are played in blocks of at most ``chunk`` (fewer when their random draws would take
    more than ``DRAW_BLOCK_BYTES``); the result does not depend on the block size. Refuses with
    :class:`~accord.errors.EngineInputError` when the estimated memory is over the budget
    (``budget`` in bytes, else :func:`accord.budget.memory_budget`). Falls back to
    :func:`simulate_scalar` when a strategy has no batch branch.
    """
    if len(strategies) != setup.n_parties:
        raise ValueError(f"give one strategy per party ({setup.n_parties}), got {len(strategies)}")
    packed = _kinds_and_params(strategies, setup)
    if packed is None:
        return simulate_scalar(setup, strategies, runs, seed, progress, budget=budget)
    kinds, params = packed
    stochastic = any(s.info.stochastic for s in strategies)
    p, deadline, n = setup.n_parties, setup.deadline, setup.n_outcomes
    codes = setup.issue_codes
    n_values = int(codes.max()) + 1 if codes.size else 1
    learns = bool(np.any(kinds == KIND_WORKING_LEVEL))
    draw_bytes = FLOAT * p * deadline
    block, estimate, limit = simulation_memory(
        runs, n, p, deadline, codes.shape[1], n_values if learns else 1,
        per_run_bytes=draw_bytes if stochastic else 0.0,
        fixed_bytes=0.0 if stochastic else draw_bytes, chunk=chunk, budget=budget,
    )  # fmt: skip
    _refuse_over_budget(estimate, limit, runs, n, p, deadline, budget)
    out = _empty_outputs(runs, p)
    inputs = _KernelInputs.build(
        strategies, kinds, deadline, setup.opener, codes,
        u3=setup.utilities[None], score3=setup.scores[None],
        res3=setup.reservation_schedule[None], walk3=setup.walkaway[None],
        disc3=setup.discount_powers[None], params3=params[None],
    )  # fmt: skip
    # One buffer of draws serves every block; deterministic strategies read none of it.
    buffer = np.empty((block, p, deadline)) if stochastic else np.zeros((1, p, deadline))
    for start in range(0, runs, block):
        stop = min(runs, start + block)
        draws = buffer
        if stochastic:
            draws = stream_uniforms(seed, start, stop, p, deadline, out=buffer)
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
    chunk: int = DEFAULT_CHUNK,
    budget: int | None = None,
) -> BatchResult:
    """Many negotiations with their own utilities (B, n, p), reservations and discounts (B, p).

    Run k is the negotiation of ``NegotiationSetup.create(utilities[k], reservation[k],
    discount[k], deadline, opener, issue_codes=issue_codes, information=information,
    discounting=discounting, believed_reservation=believed_reservation)`` with stream k of
    ``seed``: each negotiation's beliefs are built from its own utilities, as the setup builds
    them. ``believed_reservation`` (holder, about) is shared by every negotiation. The per-round
    tables and random draws are made block by block (at most ``chunk`` runs, and at most
    ``DRAW_BLOCK_BYTES``); ``budget`` is as in :func:`simulate_batch`.
    """
    u3 = np.ascontiguousarray(utilities, dtype=np.float64)
    runs, n, p = u3.shape
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
    stochastic = any(s.info.stochastic for s in strategies)
    # Rows shared by every negotiation are passed once (the kernel broadcasts a leading 1).
    if np.all(res == res[0]):
        res = res[:1]
    if np.all(disc == disc[0]):
        disc = disc[:1]
    # Per negotiation of a block: its reservation and walk-away rows, its discount powers and its
    # draws, each only when it is not shared.
    own_res, own_disc = res.shape[0] > 1, disc.shape[0] > 1
    per_run = (
        FLOAT
        * p
        * (deadline * (own_res + (own_res or own_disc) + stochastic) + (deadline + 1) * own_disc)
    )
    n_values = int(codes.max()) + 1 if codes.size else 1
    learns = bool(np.any(kinds == KIND_WORKING_LEVEL))
    # The beliefs of every negotiation: equal_weight_estimates holds about four (B, n, p) arrays
    # at its peak, shared_others_score two.
    belief_copies = 2 if information == "complete" else 5
    block, estimate, limit = simulation_memory(
        runs, n, p, deadline, codes.shape[1], n_values if learns else 1,
        per_run_bytes=per_run, fixed_bytes=FLOAT * belief_copies * runs * n * p
        + (0.0 if stochastic else FLOAT * p * deadline), chunk=chunk, budget=budget,
    )  # fmt: skip
    _refuse_over_budget(estimate, limit, runs, n, p, deadline, budget)
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
                u3[k], res[min(k, res.shape[0] - 1)], disc[min(k, disc.shape[0] - 1)],
                deadline, opener, (), issue_codes, **common,
            )  # fmt: skip
            packed = _kinds_and_params(strategies, one)
            assert packed is not None
            params3[k] = packed[1]
    else:
        packed = _kinds_and_params(strategies, first)
        assert packed is not None
        params3 = packed[1][None]
    # δ^t for each distinct δ only (the same NumPy power NegotiationSetup.create uses).
    distinct, which = np.unique(disc, return_inverse=True)
    powers = distinct[:, None] ** np.arange(deadline + 1, dtype=np.float64)[None, :]
    which = which.reshape(disc.shape)
    out = _empty_outputs(runs, p)
    draws = None if stochastic else np.zeros((1, p, deadline))
    buffer = np.empty((block, p, deadline)) if stochastic else None

    def rows(a: np.ndarray, start: int, stop: int) -> np.ndarray:
        return a if a.shape[0] == 1 else a[start:stop]

    inputs: _KernelInputs | None = None
    for start in range(0, runs, block):
        stop = min(runs, start + block)
        res3 = np.repeat(rows(res, start, stop)[:, :, None], deadline, axis=2)
        disc3 = powers[rows(which, start, stop)]
        arrays = {
            "u3": u3[start:stop], "score3": score3[start:stop], "res3": res3,
            "walk3": walkaway_values(res3, disc3, discounting), "disc3": disc3,
            "params3": rows(params3, start, stop),
        }  # fmt: skip
        if inputs is None:
            inputs = _KernelInputs.build(strategies, kinds, deadline, opener, codes, **arrays)
        else:
            inputs = inputs.with_rows(**arrays)
        if buffer is not None:
            draws = stream_uniforms(seed, start, stop, p, deadline, out=buffer)
        assert draws is not None
        inputs.play(draws, [a[start:stop] for a in out])
    if np.any(out[2] == END_INVALID):
        raise ValueError(INPUT_ERROR)
    return _result(out, strategies, seed)


def warm_up() -> None:
    """Load the compiled kernels before the first real request (a server calls it at start).

    Numba loads a kernel from its on-disk cache at the first call with each argument type,
    which takes longer than a small scenario's whole simulation; this plays two runs of a tiny
    negotiation with a stochastic and a learning strategy, with the argument types every setup
    gives, so that the first request does not pay for the loading.
    """
    u = np.array([[1.0, 0.0], [0.6, 0.4], [0.4, 0.6], [0.0, 1.0]])
    setup = NegotiationSetup.create(u, deadline=4, issue_codes=np.array([[0], [1], [2], [3]]))
    specs = [parse_strategy("random"), parse_strategy("working-level")]
    simulate_batch(setup, specs, runs=2, seed=0)


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
