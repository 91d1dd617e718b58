"""The batch engine's protocol loop: alternating offers with the built-in strategies (Numba).

It plays exactly the protocol of :mod:`accord.simulation.scalar` (its docstring states the rules)
with the built-in strategies, each a branch of :func:`_offer` that mirrors the scalar strategy's
``offer``; the outcome rankings come from :mod:`.ranking`. Negotiations run in parallel
(``numba.prange``) over blocks that reuse one set of packed work arrays, so nothing is allocated
per negotiation. The front ends that prepare its inputs are in :mod:`.batch`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from accord.simulation.ranking import BEST_POS, ORDER, count_at_least, rank_party
from accord.simulation.registry import (
    KIND_GRIT,
    KIND_HARDLINER,
    KIND_RANDOM,
    KIND_RUBINSTEIN,
    KIND_TIME,
    KIND_TIT_FOR_TAT,
    KIND_WORKING_LEVEL,
)
from accord.simulation.results import END_AGREEMENT, END_DEADLINE, END_WALK_AWAY

BLOCK = 32  # negotiations per set of work arrays: one allocation serves a block
END_INVALID = -1  # the kernel's answer to non-finite utilities (checked while it scans them)
# What the behaviour-dependent strategies remember: seen[FIRST_U | LAST_U, i, j] is i's own
# utility of j's first and latest offer; the frequency model is model[MOST | ISSUE_W, i, issue].
FIRST_U, LAST_U = 0, 1
MOST, ISSUE_W = 0, 1


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
    i, t, r, kinds, params, curve, draws, u, score, codes, ranks, levels, party, counters,
    scratch, seen, my_offers, counts, model,
):  # fmt: skip
    """The outcome party i would offer in round t (mirrors the scalar strategies' ``offer``)."""
    kind = kinds[i]
    if kind == KIND_RUBINSTEIN:
        return int(params[i, 0])
    umax = levels[i, 0]
    if kind == KIND_RANDOM:
        m = count_at_least(i, r, u, score, kinds, ranks, levels, party, counters, scratch)
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
    m = count_at_least(i, a, u, score, kinds, ranks, levels, party, counters, scratch)
    if m == 0:
        return ranks[i, ORDER, 0]
    if kind != KIND_WORKING_LEVEL:
        return ranks[i, ORDER, ranks[i, BEST_POS, m - 1]]
    return _predicted_best(i, m, ranks[i, ORDER], codes, counts, model)


@njit(cache=True)
def play_one(
    u, score, res, walk, disc, deadline, opener, kinds, params, curve, draws, codes, out_u,
    ranks, levels, party, counters, scratch, seen, my_offers, counts, model, previous,
    keep_ranking=False,
):  # fmt: skip
    """One negotiation on reused work arrays; returns (agreement, round, end, walker).

    ``res`` is the walk-away value the strategies see, ``walk`` what walking away is worth (the
    setup's discounting convention), ``score`` what each party believes the others get.
    ``keep_ranking``: the work arrays hold a valid ranking of these very ``u`` and ``score``
    (the previous negotiation's, on the same utilities), which is continued instead of rebuilt.
    A ranking is a pure function of ``u`` and ``score`` (own utility descending, ties by outcome
    number; the best-for-the-others running argmax along it), and its lazily sorted part only
    grows, so every count and offer it answers is the same either way.
    """
    p = u.shape[1]
    n_issues = codes.shape[1]
    learns = False
    for i in range(p):
        learns = learns or kinds[i] == KIND_WORKING_LEVEL
        ranked = (
            keep_ranking
            or kinds[i] == KIND_RUBINSTEIN
            or rank_party(i, u, score, kinds, ranks, levels, party, counters, scratch)
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
                proposer, t, res[proposer, t], kinds, params, curve, draws, u, score, codes,
                ranks, levels, party, counters, scratch, seen, my_offers, counts, model,
            )  # fmt: skip
        if walk[proposer, t] > disc[proposer, t] * u[o, proposer]:
            for i in range(p):
                out_u[i] = walk[i, t]
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
            accept = value_now >= walk[j, t]
            plan_value = -np.inf
            if next_turn < deadline:
                plan = _offer(
                    j, next_turn, res[j, t], kinds, params, curve, draws, u, score, codes,
                    ranks, levels, party, counters, scratch, seen, my_offers, counts, model,
                )  # fmt: skip
                plan_value = disc[j, next_turn] * u[plan, j]
                if p == 2:
                    cached_turn, cached_plan, cached_r = next_turn, plan, res[j, t]
                accept = accept and value_now >= plan_value
            if accept:
                continue
            all_accept = False
            if next_turn < deadline and walk[j, t] > plan_value:
                for i in range(p):
                    out_u[i] = walk[i, t]
                return -1, t + 1, END_WALK_AWAY, j
            break
        if all_accept:
            for i in range(p):
                out_u[i] = disc[i, t] * u[o, i]
            return o, t + 1, END_AGREEMENT, -1
    for i in range(p):
        out_u[i] = walk[i, deadline - 1]
    return -1, deadline, END_DEADLINE, -1


@njit(cache=True)
def _play_runs(
    first, stop, u3, score3, res3, walk3, disc3, deadline, opener, kinds, params3, curve, draws3,
    codes, n_values, agreement, rounds, end, walker, utilities,
):  # fmt: skip
    """Negotiations first..stop-1 on one set of work arrays (see :func:`play_batch`)."""
    n, p = u3.shape[1], u3.shape[2]
    n_issues = codes.shape[1]
    learns = False
    for i in range(p):
        learns = learns or kinds[i] == KIND_WORKING_LEVEL
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
    # Negotiations that share their utilities and beliefs share one ranking: rank them once.
    shared = u3.shape[0] == 1 and score3.shape[0] == 1
    ranked = False
    for b in range(first, stop):
        a, r, e, w = play_one(
            u3[min(b, u3.shape[0] - 1)],
            score3[min(b, score3.shape[0] - 1)],
            res3[min(b, res3.shape[0] - 1)],
            walk3[min(b, walk3.shape[0] - 1)],
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
            ranked,
        )
        ranked = shared and e != END_INVALID
        agreement[b] = a
        rounds[b] = r
        end[b] = e
        walker[b] = w


@njit(parallel=True, cache=True)
def play_batch(
    u3, score3, res3, walk3, disc3, deadline, opener, kinds, params3, curve, draws3, codes,
    n_values, agreement, rounds, end, walker, utilities,
):  # fmt: skip
    """Negotiation b uses u3[b] (or u3[0] when shared); likewise score3, res3, walk3, disc3,
    params3 and draws3.

    The parallel loop runs over blocks of BLOCK negotiations that share one set of work arrays:
    allocating per negotiation costs time, and more so when threads contend for the allocator.
    """
    runs = agreement.shape[0]
    n_blocks = (runs + BLOCK - 1) // BLOCK
    for block in prange(n_blocks):
        first = np.int64(block) * BLOCK  # prange's index is unsigned; keep arithmetic in int64
        _play_runs(
            first, min(runs, first + BLOCK), u3, score3, res3, walk3, disc3, deadline, opener,
            kinds, params3, curve, draws3, codes, n_values, agreement, rounds, end, walker,
            utilities,
        )  # fmt: skip


@njit(cache=True)
def play_serial(
    u3, score3, res3, walk3, disc3, deadline, opener, kinds, params3, curve, draws3, codes,
    n_values, agreement, rounds, end, walker, utilities,
):  # fmt: skip
    """:func:`play_batch` on the calling thread: the same negotiations, the same results.

    A parallel region costs a wake-up and a barrier of every worker thread, more than a small
    batch takes to play, and worker threads that wait for work compete with the caller for the
    cores of a loaded machine.
    """
    _play_runs(
        0, agreement.shape[0], u3, score3, res3, walk3, disc3, deadline, opener, kinds, params3,
        curve, draws3, codes, n_values, agreement, rounds, end, walker, utilities,
    )  # fmt: skip
