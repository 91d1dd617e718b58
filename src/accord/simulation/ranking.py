"""The batch engine's lazy ranking of each party's outcomes by own utility (compiled, Numba).

Per negotiation and party, the outcomes are ranked by own utility (descending, ties by outcome
number) lazily: one scan finds the best and worst utility, a second collects the top quarter of
the range and counting-sorts it into about one bucket per outcome; the rest is collected only if
an aspiration falls below that quarter, and a bucket is sorted (insertion sort: it holds about one
outcome) only when an aspiration reaches it. "The outcomes worth at least my aspiration" is then a
prefix, whose end a binary search inside one bucket finds. Along that order a running argmax of
what the party believes the others get (``NegotiationSetup.believed_others``) gives the best
outcome for the others within every prefix, so each offer costs O(1) instead of O(n).

The ranking is distribution counting (Knuth, *The Art of Computer Programming* vol. 3, §5.2,
Algorithm D) into buckets, made lazy. The protocol loop that uses it is :mod:`.kernel`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from accord.simulation.registry import KIND_RANDOM, KIND_WORKING_LEVEL

UPPER_SHARE = 0.25  # the first scan collects the top quarter of each party's utility range

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


@njit(cache=True, inline="always")
def bucket(i, value, party, counters):
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
def stable_sort(i, lo, hi, u, ranks):
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
def sort_through(i, bucket, u, score, kinds, ranks, levels, party, counters):
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
            stable_sort(i, lo, hi, u, ranks)
            break
    track_best = kinds[i] != KIND_RANDOM and kinds[i] != KIND_WORKING_LEVEL
    for k in range(lo, hi):
        o = ranks[i, ORDER, k]
        levels[i, k] = u[o, i]
        if track_best:
            believed = score[o, i]  # the smallest utility among the others, as i believes it
            if k == 0 or believed > party[i, BEST_SCORE]:
                party[i, BEST_SCORE] = believed
                ranks[i, BEST_POS, k] = k
            else:
                ranks[i, BEST_POS, k] = ranks[i, BEST_POS, k - 1]
    counters[i, N_SORTED] = bucket + 1


@njit(cache=True)
def collect(i, upper, u, ranks, party, counters, scratch):
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
        b = bucket(i, u[found[k], i], party, counters) - base
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
def rank_party(i, u, score, kinds, ranks, levels, party, counters, scratch):
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
    collect(i, True, u, ranks, party, counters, scratch)
    sort_through(i, 0, u, score, kinds, ranks, levels, party, counters)  # u_max is always needed
    return True


@njit(cache=True, inline="always")
def count_at_least(i, level, u, score, kinds, ranks, levels, party, counters, scratch):
    """How many of party i's outcomes are worth >= level; sorts buckets as far as needed."""
    if level < party[i, CUT] and counters[i, N_LOWER] == 0:
        collect(i, False, u, ranks, party, counters, scratch)
    b = bucket(i, level, party, counters)
    if b >= counters[i, N_SORTED]:
        sort_through(i, b, u, score, kinds, ranks, levels, party, counters)
    # Buckets before b hold only outcomes >= level, buckets after it only outcomes < level.
    lo, hi = ranks[i, START, b], ranks[i, START, b + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if levels[i, mid] >= level:
            lo = mid + 1
        else:
            hi = mid
    return lo
