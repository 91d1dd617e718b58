"""Brute-force reference for :mod:`accord.signals.solver`: plain loops, no LP, no vectorising.

It enumerates every pure profile (sender strategy, receiver strategy) and checks the three
conditions of a perfect Bayesian equilibrium (Fudenberg & Tirole 1991, §8.2.1, pp. 325-326) one
at a time. Whether an off-path action is a best reply to some belief is decided by enumerating
the vertices of the belief polytope B(m, a; K) (a bounded polytope is non-empty exactly when it has
a vertex; each candidate vertex solves T linear equations: the simplex equation and T - 1 tight
inequalities), so it shares no code path with the closed-form or HiGHS test of the fast solver.
The intuitive criterion (Cho & Kreps 1987, p. 202) is checked the same way. The tests compare
the two on random games.
"""

from __future__ import annotations

import itertools

import numpy as np

from accord.signals.game import SignallingGame

TOL = 1e-9


def best_reply_somewhere(
    ur_m: np.ndarray, action: int, support: tuple[int, ...], tol: float = TOL
) -> bool:
    """Whether some belief on ``support`` makes ``action`` a best reply (vertex enumeration)."""
    k = len(support)
    rows: list[list[float]] = []  # inequalities  row · μ >= 0
    for i in range(k):
        unit = [0.0] * k
        unit[i] = 1.0
        rows.append(unit)
    for other in range(ur_m.shape[1]):
        if other != action:
            rows.append([ur_m[t, action] - ur_m[t, other] for t in support])

    def inside(mu: list[float]) -> bool:
        if abs(sum(mu) - 1.0) > 1e-7:
            return False
        return all(sum(r[i] * mu[i] for i in range(k)) >= -tol - 1e-9 for r in rows)

    for tight in itertools.combinations(range(len(rows)), k - 1):
        matrix = [[1.0] * k] + [rows[n] for n in tight]
        rhs = [1.0] + [0.0] * (k - 1)
        try:
            mu = np.linalg.solve(np.array(matrix), np.array(rhs)).tolist()
        except np.linalg.LinAlgError:
            continue
        if inside(mu):
            return True
    return False


def reference_equilibria(
    game: SignallingGame, tol: float = TOL
) -> list[tuple[tuple[int, ...], tuple[int, ...], bool]]:
    """Every pure PBE as (sender, receiver, passes the intuitive criterion), by brute force."""
    n_t, n_m, n_a = game.shape
    p, us = game.prior.tolist(), game.us
    everyone = tuple(range(n_t))
    found = []
    for s in itertools.product(range(n_m), repeat=n_t):
        for r in itertools.product(range(n_a), repeat=n_m):
            if _is_pbe(game, s, r, tol):
                pay = [us[t, s[t], r[s[t]]] for t in everyone]
                off = [m for m in range(n_m) if sum(p[t] for t in everyone if s[t] == m) == 0]
                found.append((s, r, _intuitive(game, pay, off, tol)))
    return found


def _is_pbe(game: SignallingGame, s: tuple[int, ...], r: tuple[int, ...], tol: float) -> bool:
    n_t, n_m, n_a = game.shape
    p, us, ur = game.prior.tolist(), game.us, game.ur
    for t in range(n_t):  # 1. each type's message is a best reply to r
        mine = us[t, s[t], r[s[t]]]
        for m in range(n_m):
            if us[t, m, r[m]] > mine + tol:
                return False
    for m in range(n_m):
        senders = [t for t in range(n_t) if s[t] == m]
        mass = sum(p[t] for t in senders)
        if mass > 0:  # 2. Bayes' rule on path, and r(m) a best reply to it
            post = {t: p[t] / mass for t in senders}
            value = [sum(post[t] * ur[t, m, a] for t in senders) for a in range(n_a)]
            if value[r[m]] < max(value) - tol:
                return False
        elif not best_reply_somewhere(ur[:, m, :], r[m], tuple(range(n_t)), tol):
            return False  # 3. off path: no belief supports r(m)
    return True


def _intuitive(game: SignallingGame, pay: list[float], off: list[int], tol: float) -> bool:
    n_t, _, n_a = game.shape
    us, ur = game.us, game.ur
    everyone = tuple(range(n_t))
    for m in off:
        replies = [a for a in range(n_a) if best_reply_somewhere(ur[:, m, :], a, everyone, tol)]
        dominated = [t for t in everyone if pay[t] > max(us[t, m, a] for a in replies) + tol]
        rest = tuple(t for t in everyone if t not in dominated)
        if not dominated or not rest:
            continue
        restricted = [a for a in range(n_a) if best_reply_somewhere(ur[:, m, :], a, rest, tol)]
        for t in rest:
            if min(us[t, m, a] for a in restricted) > pay[t] + tol:
                return False
    return True
