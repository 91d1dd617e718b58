"""The batch engine: thousands of negotiations at once, compiled with Numba, parallel over runs.

It plays exactly the protocol of :mod:`accord.simulation.scalar` with the built-in strategies, and
gives identical agreements, rounds and utilities for the same inputs and seed (tests check this on
many random scenarios). What makes it fast:

* per negotiation and party, the outcomes are ranked by own utility (descending, ties by outcome
  number) lazily: one scan finds the best and worst utility, a second collects the top quarter of
  the range and counting-sorts it into about one bucket per outcome; the rest is collected only if
  an aspiration falls below that quarter, and a bucket is sorted (insertion sort: it holds about
  one outcome) only when an aspiration reaches it. "The outcomes worth at least my aspiration" is
  then a prefix, whose end a binary search inside one bucket finds;
* for strategies that know the others' utilities, a running argmax along that order gives the best
  outcome for the others within every prefix, so each offer costs O(1) instead of O(n);
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

import numpy as np
from numba import njit, prange

from accord.simulation.results import (
    END_AGREEMENT,
    END_DEADLINE,
    END_WALK_AWAY,
    BatchResult,
)
from accord.simulation.scalar import simulate_scalar
from accord.simulation.setup import (
    NegotiationSetup,
    draws_from_streams,
    negotiation_draws,
    negotiation_streams,
)
from accord.simulation.strategies import (
    KIND_GRIT,
    KIND_HARDLINER,
    KIND_RANDOM,
    KIND_RUBINSTEIN,
    KIND_TIME,
    KIND_TIT_FOR_TAT,
    KIND_WORKING_LEVEL,
    N_KERNEL_PARAMS,
    StrategySpec,
)

DEFAULT_CHUNK = 8192
BLOCK = 32  # negotiations per set of work arrays: one allocation serves a block
UPPER_SHARE = 0.25  # the first scan collects the top quarter of each party's utility range
END_INVALID = -1  # the kernel's answer to non-finite utilities (checked while it scans them)
INPUT_ERROR = "utilities and reservations must be finite, discounts in (0, 1]"

# Work arrays. Each party's outcomes are ranked by own utility, descending (ties by outcome
# number): the outcomes worth at least `cut` (the upper segment) are collected by a first scan and
# the rest only when an aspiration falls below `cut`; each segment is split by a counting sort
# into about one bucket per outcome, and a bucket is sorted only when an aspiration reaches it.
# They live in a few packed arrays, because every array a compiled function handles costs
# reference counting.
#   ranks[i, ORDER]     outcomes, bucket by bucket; the first N_SORTED buckets are sorted
#   ranks[i, BEST_POS]  position of the best outcome for the others up to each position
#   ranks[i, START]     where each bucket begins in ORDER
#   levels[i]           own utility along ORDER (sorted buckets only)
#   party[i]            TOP, BOTTOM, CUT, SCALE_UPPER, SCALE_LOWER, BEST_SCORE
#   counters[i]         N_UPPER, N_LOWER (0 until the lower segment is collected), N_SORTED
#   scratch             FOUND, FOUND_BUCKET, FILL (for the counting sort)
ORDER, BEST_POS, START = 0, 1, 2
TOP, BOTTOM, CUT, SCALE_UPPER, SCALE_LOWER, BEST_SCORE = 0, 1, 2, 3, 4, 5
N_UPPER, N_LOWER, N_SORTED = 0, 1, 2
FOUND, FOUND_BUCKET, FILL = 0, 1, 2
# What the behaviour-dependent strategies remember: seen[FIRST_U | LAST_U, i, j] is i's own
# utility of j's first and latest offer; the frequency model is model[MOST | ISSUE_W, i, issue].
FIRST_U, LAST_U = 0, 1
MOST, ISSUE_W = 0, 1


@njit(cache=True, inline="always")
def _bucket(i, value, party, counters):
    """The bucket of a utility for party i: a higher utility never lands in a later bucket.

    In the upper segment it is floor((top − value)·scale), in the lower one n_upper +
    floor((cut − value)·scale), each clamped to the segment's buckets. IEEE subtraction and
    multiplication round monotonically, so the map is monotone; applied to an aspiration level it
    tells exactly where the outcomes worth at least that level end.
    """
    if value >= party[i, CUT]:
        x = (party[i, TOP] - value) * party[i, SCALE_UPPER]
        base = 0
        last = counters[i, N_UPPER] - 1
    else:
        x = (party[i, CUT] - value) * party[i, SCALE_LOWER]
        base = counters[i, N_UPPER]
        last = counters[i, N_LOWER] - 1
    if x >= last:
        return base + last
    if x > 0.0:
        return base + int(x)
    return base  # also NaN (inf·0, only with a zero scale: a single bucket)


@njit(cache=True)
def _stable_sort(i, lo, hi, u, ranks):
    """Sort ranks[i, ORDER, lo:hi] by party i's utility descending; ties keep their order."""
    order = ranks[i, ORDER]
    neg = np.empty(hi - lo)
    for q in range(lo, hi):
        neg[q - lo] = -u[order[q], i]
    idx = np.argsort(neg, kind="mergesort")  # stable: equal utilities stay in outcome order
    found = order[lo:hi].copy()
    for q in range(hi - lo):
        order[lo + q] = found[idx[q]]


@njit(cache=True)
def _sort_through(i, bucket, u, kinds, ranks, levels, party, counters):
    """Sort party i's buckets up to ``bucket`` and extend the running best-for-the-others.

    The unsorted buckets form one run of ``ORDER``, each bucket in outcome order. An outcome never
    needs to move past a later bucket's (they are worth strictly less), so a stable insertion sort
    over the whole run does no more work than one per bucket, and a bucket holds about one
    outcome. Clustered utilities (crowded buckets) would make it quadratic: past a budget of
    moves, a stable O(m log m) sort finishes the job.
    """
    lo, hi = ranks[i, START, counters[i, N_SORTED]], ranks[i, START, bucket + 1]
    budget = 8 * (hi - lo) + 64
    for k in range(lo + 1, hi):
        o = ranks[i, ORDER, k]
        key = u[o, i]
        j = k
        while j > lo and u[ranks[i, ORDER, j - 1], i] < key:
            ranks[i, ORDER, j] = ranks[i, ORDER, j - 1]
            j -= 1
        ranks[i, ORDER, j] = o
        budget -= k - j
        if budget < 0:
            _stable_sort(i, lo, hi, u, ranks)
            break
    p = u.shape[1]
    track_best = kinds[i] != KIND_RANDOM and kinds[i] != KIND_WORKING_LEVEL
    for k in range(lo, hi):
        o = ranks[i, ORDER, k]
        levels[i, k] = u[o, i]
        if track_best:
            score = np.inf  # the smallest utility among the others
            for q in range(p):
                if q != i and u[o, q] < score:
                    score = u[o, q]
            if k == 0 or score > party[i, BEST_SCORE]:
                party[i, BEST_SCORE] = score
                ranks[i, BEST_POS, k] = k
            else:
                ranks[i, BEST_POS, k] = ranks[i, BEST_POS, k - 1]
    counters[i, N_SORTED] = bucket + 1


@njit(cache=True)
def _collect(i, upper, u, ranks, party, counters, scratch):
    """Scan party i's outcomes once for one segment and counting-sort them into its buckets."""
    n = u.shape[0]
    cut = party[i, CUT]
    found = scratch[FOUND]
    m = 0
    # Branch-free compaction: whether an outcome falls in the segment is unpredictable.
    if upper:
        for o in range(n):
            found[m] = o
            m += u[o, i] >= cut
        n_buckets, base, first = max(m, 1), 0, 0
        width = party[i, TOP] - cut
    else:
        for o in range(n):
            found[m] = o
            m += u[o, i] < cut
        n_buckets, base, first = max(m, 1), counters[i, N_UPPER], n - m
        width = cut - party[i, BOTTOM]
    scale = n_buckets / width if width > 0.0 else 0.0
    if not np.isfinite(scale):
        scale = 0.0  # a range too narrow or too wide to scale: one bucket, sorted exactly
    if upper:
        counters[i, N_UPPER] = n_buckets
        party[i, SCALE_UPPER] = scale
    else:
        counters[i, N_LOWER] = n_buckets
        party[i, SCALE_LOWER] = scale
    found_bucket = scratch[FOUND_BUCKET]
    fill = scratch[FILL]
    fill[: n_buckets + 1] = 0
    for k in range(m):
        b = _bucket(i, u[found[k], i], party, counters) - base
        found_bucket[k] = b
        fill[b + 1] += 1
    fill[0] = first
    start = ranks[i, START]
    for b in range(n_buckets):
        fill[b + 1] += fill[b]
        start[base + b] = fill[b]
    start[base + n_buckets] = fill[n_buckets]
    order = ranks[i, ORDER]
    for k in range(m):  # in outcome order, so every bucket starts out in outcome order
        b = found_bucket[k]
        order[fill[b]] = found[k]
        fill[b] += 1


@njit(cache=True)
def _rank_party(i, u, kinds, ranks, levels, party, counters, scratch):
    """Start party i's ranking: its best and worst utility, the upper segment, u_max's bucket.

    Returns False, having built nothing, when a utility is not finite (NaN or infinite): the scan
    that finds the extremes checks the input for free.
    """
    hi = -np.inf
    lo = np.inf
    finite = True
    for o in range(u.shape[0]):
        v = u[o, i]
        if v - v != 0.0:  # NaN or ±inf
            finite = False
        hi = v if v > hi else hi
        lo = v if v < lo else lo
    if not finite:
        return False
    party[i, TOP] = hi
    party[i, BOTTOM] = lo
    party[i, CUT] = hi - UPPER_SHARE * (hi - lo)
    party[i, BEST_SCORE] = -np.inf
    counters[i, N_LOWER] = 0
    counters[i, N_SORTED] = 0
    _collect(i, True, u, ranks, party, counters, scratch)
    _sort_through(i, 0, u, kinds, ranks, levels, party, counters)  # u_max is always needed
    return True


@njit(cache=True, inline="always")
def _count_at_least(i, level, u, kinds, ranks, levels, party, counters, scratch):
    """How many of party i's outcomes are worth >= level; sorts buckets as far as needed."""
    if level < party[i, CUT] and counters[i, N_LOWER] == 0:
        _collect(i, False, u, ranks, party, counters, scratch)
    b = _bucket(i, level, party, counters)
    if b >= counters[i, N_SORTED]:
        _sort_through(i, b, u, kinds, ranks, levels, party, counters)
    # Buckets before b hold only outcomes >= level, buckets after it only outcomes < level.
    lo, hi = ranks[i, START, b], ranks[i, START, b + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if levels[i, mid] >= level:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, inline="always")
def _others_concession(i, seen):
    p = seen.shape[1]
    smallest = np.inf
    for j in range(p):
        if j == i:
            continue
        gain = seen[LAST_U, i, j] - seen[FIRST_U, i, j]
        if gain != gain:  # NaN: j has not offered yet
            return 0.0
        smallest = min(smallest, gain)
    return max(0.0, smallest)


@njit(cache=True)
def _predicted_best(i, m, order, codes, counts, model):
    """Working level: the outcome in order[:m] the frequency model predicts best for the others."""
    total = 0.0
    for k in range(model.shape[2]):
        total += model[ISSUE_W, i, k]
    best = -np.inf
    best_outcome = order[0]
    for pos in range(m):
        o = order[pos]
        predicted = 0.0
        for k in range(codes.shape[1]):
            if model[MOST, i, k] > 0:
                share = counts[i, k, codes[o, k]] / model[MOST, i, k]
                predicted += (model[ISSUE_W, i, k] / total) * share
        if predicted > best:
            best = predicted
            best_outcome = o
    return best_outcome


@njit(cache=True, inline="always")
def _offer(
    i, t, r, kinds, params, curve, draws, u, codes, ranks, levels, party, counters, scratch,
    seen, my_offers, counts, model,
):  # fmt: skip
    """The outcome party i would offer in round t (mirrors the scalar strategies' ``offer``)."""
    kind = kinds[i]
    if kind == KIND_RUBINSTEIN:
        return int(params[i, 0])
    umax = levels[i, 0]
    if kind == KIND_RANDOM:
        m = _count_at_least(i, r, u, kinds, ranks, levels, party, counters, scratch)
        if m == 0:
            m = 1
        pos = int(draws[i, t] * m)
        if pos > m - 1:
            pos = m - 1
        return ranks[i, ORDER, pos]
    if kind in (KIND_TIME, KIND_WORKING_LEVEL):
        a = r if r >= umax else r + params[i, 1] * (umax - r) * (1.0 - curve[i, t])
    elif kind == KIND_HARDLINER:
        a = umax
    elif kind == KIND_TIT_FOR_TAT:
        a = max(r, umax - params[i, 0] - _others_concession(i, seen))
    else:  # GRIT
        steps = params[i, 0] * min(my_offers[i], int(params[i, 1]))
        a = max(r, umax - steps - _others_concession(i, seen))
    m = _count_at_least(i, a, u, kinds, ranks, levels, party, counters, scratch)
    if m == 0:
        return ranks[i, ORDER, 0]
    if kind != KIND_WORKING_LEVEL:
        return ranks[i, ORDER, ranks[i, BEST_POS, m - 1]]
    return _predicted_best(i, m, ranks[i, ORDER], codes, counts, model)


@njit(cache=True)
def _play_one(
    u, res, disc, deadline, opener, kinds, params, curve, draws, codes, out_u,
    ranks, levels, party, counters, scratch, seen, my_offers, counts, model, previous,
):  # fmt: skip
    """One negotiation on reused work arrays; returns (agreement, round, end, walker)."""
    p = u.shape[1]
    n_issues = codes.shape[1]
    learns = False
    for i in range(p):
        learns = learns or kinds[i] == KIND_WORKING_LEVEL
        ranked = kinds[i] == KIND_RUBINSTEIN or _rank_party(
            i, u, kinds, ranks, levels, party, counters, scratch
        )
        if not ranked:
            out_u[:] = np.nan
            return -1, 0, END_INVALID, -1
    seen[:] = np.nan
    my_offers[:] = 0
    if learns:
        counts[:] = 0.0
        model[MOST] = 0.0
        model[ISSUE_W] = 1.0
        previous[:] = -1  # no offer seen yet

    # With two parties, the plan a responder makes for its next turn is exactly the offer it then
    # makes (nothing is observed in between) unless its walk-away value changed: reuse it.
    cached_turn = -1
    cached_plan = 0
    cached_r = np.nan
    for t in range(deadline):
        proposer = (opener + t) % p
        if cached_turn == t and cached_r == res[proposer, t]:
            o = cached_plan
        else:
            o = _offer(
                proposer, t, res[proposer, t], kinds, params, curve, draws, u, codes, ranks,
                levels, party, counters, scratch, seen, my_offers, counts, model,
            )  # fmt: skip
        if res[proposer, t] > disc[proposer, t] * u[o, proposer]:
            for i in range(p):
                out_u[i] = res[i, t]
            return -1, t + 1, END_WALK_AWAY, proposer
        my_offers[proposer] += 1
        for j in range(p):
            if j == proposer:
                continue
            kind = kinds[j]
            if kind in (KIND_TIT_FOR_TAT, KIND_GRIT):
                if seen[FIRST_U, j, proposer] != seen[FIRST_U, j, proposer]:
                    seen[FIRST_U, j, proposer] = u[o, j]
                seen[LAST_U, j, proposer] = u[o, j]
            elif kind == KIND_WORKING_LEVEL:
                for k in range(n_issues):
                    c = codes[o, k]
                    counts[j, k, c] += 1.0
                    if counts[j, k, c] > model[MOST, j, k]:
                        model[MOST, j, k] = counts[j, k, c]
                    if previous[j, k] == c:  # -1 before the first offer never matches
                        model[ISSUE_W, j, k] += 1.0
                    previous[j, k] = c
        all_accept = True
        for step in range(1, p):
            j = (proposer + step) % p
            value_now = disc[j, t] * u[o, j]
            next_turn = t + step
            accept = value_now >= res[j, t]
            plan_value = -np.inf
            if next_turn < deadline:
                plan = _offer(
                    j, next_turn, res[j, t], kinds, params, curve, draws, u, codes, ranks,
                    levels, party, counters, scratch, seen, my_offers, counts, model,
                )  # fmt: skip
                plan_value = disc[j, next_turn] * u[plan, j]
                if p == 2:
                    cached_turn, cached_plan, cached_r = next_turn, plan, res[j, t]
                accept = accept and value_now >= plan_value
            if accept:
                continue
            all_accept = False
            if next_turn < deadline and res[j, t] > plan_value:
                for i in range(p):
                    out_u[i] = res[i, t]
                return -1, t + 1, END_WALK_AWAY, j
            break
        if all_accept:
            for i in range(p):
                out_u[i] = disc[i, t] * u[o, i]
            return o, t + 1, END_AGREEMENT, -1
    for i in range(p):
        out_u[i] = res[i, deadline - 1]
    return -1, deadline, END_DEADLINE, -1


@njit(parallel=True, cache=True)
def _play_batch(
    u3,
    res3,
    disc3,
    deadline,
    opener,
    kinds,
    params3,
    curve,
    draws3,
    codes,
    n_values,
    agreement,
    rounds,
    end,
    walker,
    utilities,
):
    """Negotiation b uses u3[b] (or u3[0] when shared); likewise res3, disc3, params3, draws3.

    The parallel loop runs over blocks of BLOCK negotiations that share one set of work arrays:
    allocating per negotiation costs time, and more so when threads contend for the allocator.
    """
    runs = agreement.shape[0]
    n, p = u3.shape[1], u3.shape[2]
    n_issues = codes.shape[1]
    learns = False
    for i in range(p):
        learns = learns or kinds[i] == KIND_WORKING_LEVEL
    n_blocks = (runs + BLOCK - 1) // BLOCK
    for block in prange(n_blocks):
        ranks = np.empty((p, 3, n + 2), np.int64)
        levels = np.empty((p, n))
        party = np.empty((p, 6))
        counters = np.empty((p, 3), np.int64)
        scratch = np.empty((3, n + 2), np.int64)
        seen = np.empty((2, p, p))
        my_offers = np.empty(p, np.int64)
        # The frequency model's table is only as large as a learning strategy needs.
        counts = np.empty((p, n_issues, n_values if learns else 1))
        model = np.empty((2, p, n_issues))
        previous = np.empty((p, n_issues), np.int64)
        first = np.int64(block) * BLOCK  # prange's index is unsigned; keep arithmetic in int64
        for b in range(first, min(runs, first + BLOCK)):
            a, r, e, w = _play_one(
                u3[min(b, u3.shape[0] - 1)],
                res3[min(b, res3.shape[0] - 1)],
                disc3[min(b, disc3.shape[0] - 1)],
                deadline,
                opener,
                kinds,
                params3[min(b, params3.shape[0] - 1)],
                curve,
                draws3[min(b, draws3.shape[0] - 1)],
                codes,
                utilities[b],
                ranks,
                levels,
                party,
                counters,
                scratch,
                seen,
                my_offers,
                counts,
                model,
                previous,
            )
            agreement[b] = a
            rounds[b] = r
            end[b] = e
            walker[b] = w


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
    # Writable copies: the setup's read-only arrays would make Numba compile a second variant.
    codes = np.array(setup.issue_codes)
    u3 = np.array(setup.utilities[None])
    res3 = np.array(setup.reservation_schedule[None])
    disc3 = np.array(setup.discount_powers[None])
    n_values = int(codes.max()) + 1 if codes.size else 1
    curve = _time_curve(strategies, deadline)
    for start in range(0, runs, chunk):
        stop = min(runs, start + chunk)
        draws = (
            draws_from_streams(negotiation_streams(seed, start, stop), p, deadline)
            if stochastic
            else np.zeros((1, p, deadline))
        )
        _play_batch(
            u3,
            res3,
            disc3,
            deadline,
            setup.opener,
            kinds,
            params[None],
            curve,
            draws,
            codes,
            n_values,
            *(a[start:stop] for a in out),
        )
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
) -> BatchResult:
    """Many negotiations with their own utilities (B, n, p), reservations and discounts (B, p).

    Run k is the negotiation of ``NegotiationSetup.create(utilities[k], reservation[k],
    discount[k], deadline, opener, issue_codes=issue_codes)`` with stream k of ``seed``.
    """
    u3 = np.ascontiguousarray(utilities, dtype=np.float64)
    runs, _n, p = u3.shape
    res = np.asarray(reservation, dtype=np.float64).reshape(runs, p)
    disc = np.asarray(discount, dtype=np.float64).reshape(runs, p)
    first = NegotiationSetup.create(u3[0], res[0], disc[0], deadline, opener, (), issue_codes)
    kinds = np.array([s.info.kernel for s in strategies], np.int64)
    if any(s.info.kernel is None for s in strategies):
        raise ValueError("simulate_batch_arrays needs strategies with a batch branch")
    if any(s.info.kernel == KIND_RUBINSTEIN for s in strategies):
        params3 = np.zeros((runs, p, N_KERNEL_PARAMS))
        for k in range(runs):
            one = NegotiationSetup.create(u3[k], res[k], disc[k], deadline, opener)
            packed = _kinds_and_params(strategies, one)
            assert packed is not None
            params3[k] = packed[1]
    else:
        packed = _kinds_and_params(strategies, first)
        assert packed is not None
        params3 = packed[1][None]
    if not (np.all((disc > 0) & (disc <= 1)) and np.all(np.isfinite(res))):
        raise ValueError(INPUT_ERROR)
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
    stochastic = any(s.info.stochastic for s in strategies)
    draws = negotiation_draws(seed, runs, p, deadline) if stochastic else np.zeros((1, p, deadline))
    codes = np.array(first.issue_codes)
    n_values = int(codes.max()) + 1 if codes.size else 1
    out = _empty_outputs(runs, p)
    curve = _time_curve(strategies, deadline)
    _play_batch(
        u3, res3, disc3, deadline, opener, kinds, params3, curve, draws, codes, n_values, *out
    )
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
