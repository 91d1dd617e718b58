"""Bargaining protocols under one-sided incomplete information over a finite set of packages.

Two parties: the proposer P, who does not know the responder R's reservation value r, and R, who
knows everything. Each package x gives utilities u_P(x) and u_R(x); r_P is P's reservation value.
Discounting follows issue 12: a deal in round t (from 0) is worth δ^t·u(x) and walking away then
δ^t·r, so what is discounted is the gain over the bottom line, δ^t·(u(x) − r). Types accept when
u_R(x) ≥ r (indifference is resolved in favour of agreement).

* :func:`ultimatum` — one take-it-or-leave-it package maximising
  u_P(x)·P(accept x) + r_P·P(reject), with P(accept x) = F(u_R(x)) from the belief's exact CDF.
  With a one-issue split and r ~ U[a, b] the responder's share is (1 + a − d)/2 clipped to [a, b]
  (the uniform case of Iida 1993, as issue 12 states it).
* :func:`screening` — up to T offers; each rejection is common knowledge. Perfect Bayesian
  equilibrium of Fudenberg & Tirole (1983, "Sequential bargaining with incomplete information",
  Rev. Econ. Stud. 50(2), pp. 221-247, the two-period model of §2) on a discrete type grid,
  by backward induction. By the skimming property the types who accept are the lowest ones, so
  the state is a cutoff k (types k.. remain) and the posterior is the prior truncated at the
  cutoff. Package x at round t moves the state to a cutoff c that is consistent on both sides:
  type c−1 weakly prefers accepting, u_R(x) − r_{c−1} ≥ δ_R·V_{t+1}(c), its gain from the
  equilibrium offers that follow from state c, and type c strictly prefers waiting (the largest
  such c; :func:`_cutoffs`). The proposer picks the package that maximises its expected
  discounted gain.

:func:`screening_reference` is the same recursion written with plain loops (a slow reference the
tests compare with the vectorised one).

With discrete types and packages a pure cutoff response to some packages does not exist (near a
cutoff the types are almost indifferent between rounds, more so as δ → 1); such a package is
treated as accepted by nobody, so the proposer does not rely on it. On the equilibrium path every
grid type then best-responds exactly (tests/information/test_closed_forms.py checks it for δ up
to 0.99).

Discreteness matters near the optimum because the proposer's objective is flat there: on a
one-issue split with step 0.001 the type grid should be aligned with the packages (grid 1000 on
[0, 1]) to reproduce Fudenberg & Tirole's closed forms within 0.002; a misaligned grid lets the
proposer exploit the rounding of its own later offers and moves the shares by up to ~0.007
(benchmarks/bench_information.py, tests/information/test_closed_forms.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.information.beliefs import Belief


@dataclass(frozen=True)
class Plan:
    """The proposer's equilibrium offers, one per round (package index, or -1 for no offer).

    ``p_accept[t]`` is the probability, under the proposer's belief, that round t's offer is
    accepted given that it is reached; ``posteriors[t]`` the belief after round t's rejection.
    Under screening, ``cutoffs[t]`` is the number of grid types gone after round t and
    ``accept_round[j]`` the round in which grid type j accepts (-1: never).
    """

    offers: tuple[int, ...]
    p_accept: tuple[float, ...]
    posteriors: tuple[Belief, ...]
    proposer_gain: float
    cutoffs: tuple[int, ...] = ()
    exact: bool = False


def pareto_frontier(u_p: np.ndarray, u_r: np.ndarray) -> np.ndarray:
    """Indices of the packages no other package beats for both parties, by rising u_R.

    Among equal (u_P, u_R) the lowest index is kept.
    """
    order = np.lexsort((np.arange(len(u_p)), -u_p, -u_r))  # u_R down, then u_P down, then index
    best = np.maximum.accumulate(u_p[order])
    prev = np.concatenate([[-np.inf], best[:-1]])
    keep = order[u_p[order] > prev]
    return keep[::-1]


def ultimatum(u_p: np.ndarray, u_r: np.ndarray, r_p: float, belief: Belief) -> Plan:
    """The take-it-or-leave-it package under the belief's exact CDF (no offer if none gains)."""
    f = belief.cdf(u_r)
    value = (u_p - r_p) * f
    i = int(np.argmax(value))
    if value[i] <= 0.0 and not (value[i] == 0.0 and f[i] > 0):
        return Plan((-1,), (0.0,), (belief,), 0.0, exact=True)
    post = belief.truncate_below(float(u_r[i]))
    return Plan((i,), (float(f[i]),), (post,), float(value[i]), exact=True)


@dataclass(frozen=True)
class _Tables:
    offer: np.ndarray  # (T, K+1) package index per round and state, -1 = no offer
    nxt: np.ndarray  # (T, K+1) state after a rejection
    value: np.ndarray  # (T+1, K+1) proposer's expected gain (mass-weighted)


def _low_gain(
    t: int,
    tab_off_ur: np.ndarray,
    nxt: np.ndarray,
    types: np.ndarray,
    d_r: float,
    shift: int = 1,
) -> np.ndarray:
    """V_t(k') for k' = shift..shift+K-1: gain of type k'−shift from the offers from state k' at
    round t on (shift 1: the type just below the state; shift 0: the lowest type in it)."""
    big_t = tab_off_ur.shape[0]
    k = len(types)
    state = np.arange(shift, k + shift)  # states k' whose type k' - shift is 0..K-1
    r = types
    gain = np.zeros(k)
    disc = 1.0
    for tau in range(t, big_t):
        gain = np.maximum(gain, disc * (tab_off_ur[tau, state] - r))
        state = nxt[tau, state]
        disc *= d_r
    return gain


def _cutoffs(
    t: int,
    off_ur: np.ndarray,
    nxt: np.ndarray,
    types: np.ndarray,
    u_r: np.ndarray,
    d_r: float,
) -> np.ndarray:
    """For each package offered at round t: the cutoff c (types 0..c-1 accept), or 0.

    In the last round a type accepts whatever gives it its bottom line (c: the types with
    r ≤ u_R(x)). Before it, c must be consistent on both sides given the state c it leads to:
    type c−1 weakly prefers accepting (u_R(x) − r_{c−1} ≥ δ_R·V_{t+1}(c, type c−1)) and type c
    strictly prefers waiting (u_R(x) − r_c < δ_R·V_{t+1}(c, type c)); the other types follow,
    since waiting is worth at most δ_R per unit of r. The largest consistent c is taken; a
    package with none (its answer would need mixed strategies) is treated as accepted by nobody,
    so the proposer never relies on it.
    """
    k = len(types)
    if t + 1 >= off_ur.shape[0]:
        return np.searchsorted(types, u_r, side="right")
    acc = types + d_r * _low_gain(t + 1, off_ur, nxt, types, d_r, shift=1)  # acc[c-1], state c
    rej = types + d_r * _low_gain(t + 1, off_ur, nxt, types, d_r, shift=0)  # rej[c], state c
    ok = acc[None, :] <= u_r[:, None]  # column c-1 ↔ cutoff c = 1..K
    ok[:, :-1] &= u_r[:, None] < rej[None, 1:]
    best = k - np.argmax(ok[:, ::-1], axis=1)
    return np.where(ok.any(axis=1), best, 0)


def _solve(
    u_p: np.ndarray,
    u_r: np.ndarray,
    r_p: float,
    types: np.ndarray,
    mass: np.ndarray,
    rounds: int,
    d_p: float,
    d_r: float,
) -> _Tables:
    k = len(types)
    cum = np.concatenate([[0.0], np.cumsum(mass)])
    off = np.full((rounds, k + 1), -1, dtype=np.int64)
    off_ur = np.full((rounds, k + 1), -np.inf)
    nxt = np.tile(np.arange(k + 1), (rounds, 1))
    value = np.zeros((rounds + 1, k + 1))
    idx = np.arange(len(u_p))
    states = np.arange(k + 1)
    for t in range(rounds - 1, -1, -1):
        cut = _cutoffs(t, off_ur, nxt, types, u_r, d_r)
        order = np.lexsort((idx, -u_r, -u_p, cut))
        c_sorted = cut[order]
        first = np.concatenate([[True], c_sorted[1:] != c_sorted[:-1]])
        cand = order[first]
        cand = cand[cut[cand] >= 1]
        cc = cut[cand]
        gain = u_p[cand] - r_p
        w_next = value[t + 1]
        vals = (cum[cc][None, :] - cum[:, None]) * gain[None, :] + d_p * w_next[cc][None, :]
        vals = np.where(cc[None, :] > states[:, None], vals, -np.inf)
        stay = d_p * w_next
        if len(cand):
            rev = vals[:, ::-1]
            m = len(cand) - 1 - np.argmax(rev, axis=1)  # ties: the larger cutoff
            best = vals[states, m]
            deal = best >= stay
        else:
            m = np.zeros(k + 1, dtype=np.int64)
            best = np.full(k + 1, -np.inf)
            deal = np.zeros(k + 1, dtype=bool)
        value[t] = np.where(deal, best, stay)
        if len(cand):
            off[t] = np.where(deal, cand[m], -1)
            nxt[t] = np.where(deal, cc[m], states)
        off_ur[t] = np.where(off[t] >= 0, u_r[np.maximum(off[t], 0)], -np.inf)
    return _Tables(off, nxt, value)


def screening(
    u_p: np.ndarray,
    u_r: np.ndarray,
    r_p: float,
    belief: Belief,
    rounds: int,
    d_p: float,
    d_r: float,
    grid: int = 200,
) -> Plan:
    """Perfect Bayesian equilibrium of the T-offer screening game on the belief's type grid."""
    types, mass, edges = belief.grid(grid)
    tab = _solve(u_p, u_r, r_p, types, mass, rounds, d_p, d_r)
    return _path(tab, belief, types, mass, edges, rounds)


def _path(
    tab: _Tables,
    belief: Belief,
    types: np.ndarray,
    mass: np.ndarray,
    edges: np.ndarray,
    rounds: int,
) -> Plan:
    cum = np.concatenate([[0.0], np.cumsum(mass)])
    s = 0
    offers, p_acc, posts, cuts = [], [], [], []
    post = belief
    for t in range(rounds):
        if s >= len(types):  # every type has accepted: the later rounds are never reached
            break
        c = int(tab.nxt[t, s])
        offers.append(int(tab.offer[t, s]))
        left = 1.0 - cum[s]
        p_acc.append(float((cum[c] - cum[s]) / left) if left > 0 else 0.0)
        if c > s and c < len(types):
            post = belief.truncate_below(float(edges[c]))
        posts.append(post)
        cuts.append(c)
        s = c
    return Plan(
        tuple(offers), tuple(p_acc), tuple(posts), float(tab.value[0, 0]), cutoffs=tuple(cuts)
    )


def screening_reference(
    u_p: np.ndarray,
    u_r: np.ndarray,
    r_p: float,
    types: np.ndarray,
    mass: np.ndarray,
    rounds: int,
    d_p: float,
    d_r: float,
) -> tuple[list[list[int]], list[list[int]], list[list[float]]]:
    """Plain-loop reference of :func:`screening`: (offer, next state, value) per round and state."""
    k, n = len(types), len(u_p)
    cum = [0.0]
    for m in mass:
        cum.append(cum[-1] + float(m))
    off = [[-1] * (k + 1) for _ in range(rounds)]
    nxt = [list(range(k + 1)) for _ in range(rounds)]
    val = [[0.0] * (k + 1) for _ in range(rounds + 1)]

    def low_gain(t: int, kp: int, j: int) -> float:
        r = float(types[j])
        g, s, disc = 0.0, kp, 1.0
        for tau in range(t, rounds):
            o = off[tau][s]
            if o >= 0:
                g = max(g, disc * (float(u_r[o]) - r))
            s = nxt[tau][s]
            disc *= d_r
        return g

    for t in range(rounds - 1, -1, -1):
        cut = []
        for i in range(n):
            u = float(u_r[i])
            if t + 1 >= rounds:
                cut.append(sum(1 for r in types if float(r) <= u))
                continue
            best_c = 0
            for c in range(1, k + 1):
                accepts = float(types[c - 1]) + d_r * low_gain(t + 1, c, c - 1) <= u
                waits = c == k or u < float(types[c]) + d_r * low_gain(t + 1, c, c)
                if accepts and waits:
                    best_c = c
            cut.append(best_c)
        for s in range(k + 1):
            stay = d_p * val[t + 1][s]
            best, best_key, best_i = -np.inf, None, -1
            for i in range(n):
                c = cut[i]
                if c <= s:
                    continue
                v = (cum[c] - cum[s]) * (float(u_p[i]) - r_p) + d_p * val[t + 1][c]
                key = (v, c, float(u_p[i]), float(u_r[i]), -i)
                if best_key is None or key > best_key:
                    best, best_key, best_i = v, key, i
            if best_i >= 0 and best >= stay:
                val[t][s], off[t][s], nxt[t][s] = best, best_i, cut[best_i]
            else:
                val[t][s] = stay
    return off, nxt, val
