"""The batch engine: thousands of negotiations at once, compiled with Numba, parallel over runs.

It plays exactly the protocol of :mod:`accord.simulation.scalar` with the built-in strategies, and
gives identical agreements, rounds and utilities for the same inputs and seed (tests check this on
many random scenarios). What makes it fast:

* per negotiation and party, the outcomes are ordered by own utility (descending, ties by outcome
  number) lazily, only down to (about twice) the lowest aspiration actually reached, so "the
  outcomes worth at least my aspiration" is a prefix found by binary search;
* for strategies that know the others' utilities, a running argmax over that order gives the best
  outcome for the others within every prefix, so each offer costs O(log n) instead of O(n);
* negotiations run in parallel (``numba.prange``) in chunks, so memory stays bounded.

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


@njit(cache=True, inline="always")
def _count_at_least(sorted_desc, i, n, level):
    """How many of sorted_desc[i, :n] (descending) are >= level (binary search)."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if sorted_desc[i, mid] >= level:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, inline="always")
def _others_concession(i, first_u, last_u):
    p = first_u.shape[0]
    smallest = np.inf
    for j in range(p):
        if j == i:
            continue
        gain = last_u[i, j] - first_u[i, j]
        if gain != gain:  # NaN: j has not offered yet
            return 0.0
        smallest = min(smallest, gain)
    return max(0.0, smallest)


@njit(cache=True, inline="always")
def _extend(
    i,
    level,
    u,
    keys,
    frontier,
    lowest,
    scratch,
    order,
    sorted_u,
    n_sorted,
    best_pos,
    best_score,
    kinds,
):
    """Make party i's sorted prefix hold every outcome worth >= level; return how many are.

    Sorting all outcomes costs O(n log n) per party, although a negotiation usually visits only
    the top of the order. The prefix is complete down to ``frontier[i]``; when a lower level is
    asked for, one O(n) scan collects the outcomes in [new frontier, frontier), where the new
    frontier is twice as deep below the best utility as the level asked for (so a negotiation
    needs only a few scans), and sorts just those. The order — utility descending, ties by
    outcome number — is the one the scalar engine's tie-break implies.
    """
    if level < frontier[i] and frontier[i] > lowest[i]:
        top = sorted_u[i, 0]
        span = top - lowest[i]
        new_frontier = top - max(2.0 * (top - level), span / 64.0)
        if new_frontier < lowest[i]:
            new_frontier = lowest[i]
        m = 0
        for o in range(keys.shape[1]):
            k = keys[i, o]
            if k >= new_frontier and k < frontier[i]:
                scratch[m] = o
                m += 1
        _append_sorted(
            i, scratch, m, u, keys, order, sorted_u, n_sorted, best_pos, best_score, kinds
        )
        frontier[i] = new_frontier
    return _count_at_least(sorted_u, i, n_sorted[i], level)


@njit(cache=True)
def _append_sorted(i, found, m, u, keys, order, sorted_u, n_sorted, best_pos, best_score, kinds):
    """Append found[:m] (in outcome order) to party i's prefix, by utility descending (stable)."""
    neg = np.empty(m)
    for k in range(m):
        neg[k] = -keys[i, found[k]]
    idx = np.argsort(neg, kind="mergesort")  # stable: equal utilities stay in outcome order
    p = u.shape[1]
    track_best = kinds[i] != KIND_RANDOM and kinds[i] != KIND_WORKING_LEVEL
    for j in range(m):
        o = found[idx[j]]
        k = n_sorted[i]
        order[i, k] = o
        sorted_u[i, k] = keys[i, o]
        n_sorted[i] = k + 1
        if track_best:
            score = np.inf  # the smallest utility among the others
            for q in range(p):
                if q != i and u[o, q] < score:
                    score = u[o, q]
            if k == 0 or score > best_score[i]:
                best_score[i] = score
                best_pos[i, k] = k
            else:
                best_pos[i, k] = best_pos[i, k - 1]


@njit(cache=True, inline="always")
def _offer(
    i,
    t,
    r,
    deadline,
    kinds,
    params,
    curve,
    draws,
    u,
    keys,
    frontier,
    lowest,
    scratch,
    order,
    sorted_u,
    n_sorted,
    best_pos,
    best_score,
    first_u,
    last_u,
    my_offers,
    counts,
    most,
    issue_w,
    codes,
):
    """The outcome party i would offer in round t (mirrors the scalar strategies' ``offer``)."""
    kind = kinds[i]
    if kind == KIND_RUBINSTEIN:
        return int(params[i, 0])
    umax = sorted_u[i, 0]
    if kind == KIND_RANDOM:
        m = _extend(
            i,
            r,
            u,
            keys,
            frontier,
            lowest,
            scratch,
            order,
            sorted_u,
            n_sorted,
            best_pos,
            best_score,
            kinds,
        )
        if m == 0:
            m = 1
        pos = int(draws[i, t] * m)
        if pos > m - 1:
            pos = m - 1
        return order[i, pos]
    if kind in (KIND_TIME, KIND_WORKING_LEVEL):
        a = r if r >= umax else r + params[i, 1] * (umax - r) * (1.0 - curve[i, t])
    elif kind == KIND_HARDLINER:
        a = umax
    elif kind == KIND_TIT_FOR_TAT:
        a = max(r, umax - params[i, 0] - _others_concession(i, first_u, last_u))
    else:  # GRIT
        steps = params[i, 0] * min(my_offers[i], int(params[i, 1]))
        a = max(r, umax - steps - _others_concession(i, first_u, last_u))
    m = _extend(
        i,
        a,
        u,
        keys,
        frontier,
        lowest,
        scratch,
        order,
        sorted_u,
        n_sorted,
        best_pos,
        best_score,
        kinds,
    )
    if m == 0:
        return order[i, 0]
    if kind != KIND_WORKING_LEVEL:
        return order[i, best_pos[i, m - 1]]
    # Working level: the predicted best for the others among the first m (frequency model).
    total = 0.0
    for k in range(issue_w.shape[1]):
        total += issue_w[i, k]
    best = -np.inf
    best_outcome = order[i, 0]
    for pos in range(m):
        o = order[i, pos]
        predicted = 0.0
        for k in range(codes.shape[1]):
            if most[i, k] > 0:
                predicted += (issue_w[i, k] / total) * (counts[i, k, codes[o, k]] / most[i, k])
        if predicted > best:
            best = predicted
            best_outcome = o
    return best_outcome


@njit(cache=True)
def _play_one(u, res, disc, deadline, opener, kinds, params, curve, draws, codes, n_values, out_u):
    """One negotiation; returns (agreement, round, end, walker) and fills out_u."""
    n, p = u.shape
    n_issues = codes.shape[1]
    keys = np.empty((p, n))  # each party's utilities, contiguous for the scans
    frontier = np.full(p, np.inf)  # party i's sorted prefix holds every outcome >= frontier[i]
    lowest = np.zeros(p)
    scratch = np.empty(n, np.int64)
    order = np.empty((p, n), np.int64)
    sorted_u = np.empty((p, n))
    n_sorted = np.zeros(p, np.int64)
    best_pos = np.empty((p, n), np.int64)
    best_score = np.full(p, -np.inf)
    for i in range(p):
        if kinds[i] == KIND_RUBINSTEIN:
            continue
        top = -np.inf
        bottom = np.inf
        for o in range(n):
            k = u[o, i]
            keys[i, o] = k
            top = max(top, k)
            bottom = min(bottom, k)
        lowest[i] = bottom
        # The best outcomes (u_max) are always needed.
        m = 0
        for o in range(n):
            if keys[i, o] >= top:
                scratch[m] = o
                m += 1
        _append_sorted(
            i, scratch, m, u, keys, order, sorted_u, n_sorted, best_pos, best_score, kinds
        )
        frontier[i] = top
    first_u = np.full((p, p), np.nan)
    last_u = np.full((p, p), np.nan)
    my_offers = np.zeros(p, np.int64)
    counts = np.zeros((p, n_issues, n_values))
    most = np.zeros((p, n_issues))
    issue_w = np.ones((p, n_issues))
    previous = np.zeros((p, n_issues), np.int64)
    has_previous = np.zeros(p, np.bool_)

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
                proposer,
                t,
                res[proposer, t],
                deadline,
                kinds,
                params,
                curve,
                draws,
                u,
                keys,
                frontier,
                lowest,
                scratch,
                order,
                sorted_u,
                n_sorted,
                best_pos,
                best_score,
                first_u,
                last_u,
                my_offers,
                counts,
                most,
                issue_w,
                codes,
            )
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
                if first_u[j, proposer] != first_u[j, proposer]:
                    first_u[j, proposer] = u[o, j]
                last_u[j, proposer] = u[o, j]
            elif kind == KIND_WORKING_LEVEL:
                for k in range(n_issues):
                    c = codes[o, k]
                    counts[j, k, c] += 1.0
                    if counts[j, k, c] > most[j, k]:
                        most[j, k] = counts[j, k, c]
                    if has_previous[j] and previous[j, k] == c:
                        issue_w[j, k] += 1.0
                    previous[j, k] = c
                has_previous[j] = True
        all_accept = True
        for step in range(1, p):
            j = (proposer + step) % p
            value_now = disc[j, t] * u[o, j]
            next_turn = t + step
            accept = value_now >= res[j, t]
            plan_value = -np.inf
            if next_turn < deadline:
                plan = _offer(
                    j,
                    next_turn,
                    res[j, t],
                    deadline,
                    kinds,
                    params,
                    curve,
                    draws,
                    u,
                    keys,
                    frontier,
                    lowest,
                    scratch,
                    order,
                    sorted_u,
                    n_sorted,
                    best_pos,
                    best_score,
                    first_u,
                    last_u,
                    my_offers,
                    counts,
                    most,
                    issue_w,
                    codes,
                )
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
    """Negotiation b uses u3[b] (or u3[0] when shared); likewise res3, disc3, params3, draws3."""
    for b in prange(agreement.shape[0]):
        k = np.int64(b)  # prange's index is unsigned; keep index arithmetic in int64
        ub = u3[min(k, u3.shape[0] - 1)]
        rb = res3[min(k, res3.shape[0] - 1)]
        db = disc3[min(k, disc3.shape[0] - 1)]
        pb = params3[min(k, params3.shape[0] - 1)]
        drb = draws3[min(k, draws3.shape[0] - 1)]
        a, r, e, w = _play_one(
            ub, rb, db, deadline, opener, kinds, pb, curve, drb, codes, n_values, utilities[b]
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
    if not (
        np.all((disc > 0) & (disc <= 1)) and np.all(np.isfinite(u3)) and np.all(np.isfinite(res))
    ):
        raise ValueError("utilities and reservations must be finite, discounts in (0, 1]")
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
