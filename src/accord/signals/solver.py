"""All pure-strategy perfect Bayesian equilibria of a finite signalling game, vectorised.

A profile (sender strategy ``s: T → M``, receiver strategy ``r: M → A``) is a pure-strategy
perfect Bayesian equilibrium (Fudenberg & Tirole 1991, *Game Theory*, §8.2.1, pp. 325-326) when

1. each type's message is a best reply: ``u_S(t, s(t), r(s(t))) >= u_S(t, m, r(m))`` for all m;
2. after an on-path message the receiver's belief follows Bayes' rule,
   ``μ(t | m) = p(t)·[s(t) = m] / Σ_t' p(t')·[s(t') = m]``, and ``r(m)`` is a best reply to it;
3. after an off-path message *some* belief makes ``r(m)`` a best reply (``accord.signals.beliefs``).

Condition 3 does not depend on ``s`` beyond which messages are off path, so the solver first marks
the admissible (message, action) pairs, then checks conditions 1-2 for every profile at once with
NumPy (at most 3,125 × 3,125 profiles for a 5 × 5 × 5 game). :mod:`accord.signals.reference` is
the plain loop over profiles that the tests compare against.

Each equilibrium is tested against the intuitive criterion of Cho & Kreps (1987, QJE 102(2),
§III, pp. 199-202): for an off-path message ``m`` let ``J(m)`` be the types for which ``m`` is
equilibrium-dominated (their equilibrium payoff beats anything ``m`` could bring under any
best reply to any belief). If some type outside ``J(m)`` would be strictly better off sending
``m`` whatever best reply to a belief on ``T \\ J(m)`` the receiver chose, the equilibrium fails.

For two-type games without a pure equilibrium, :func:`hybrids` finds the semi-separating ones in
which one type sends a message for sure, the other mixes between that message and a second one,
and the receiver mixes between two actions after the shared message (Gibbons 1992, *A Primer in
Game Theory*, §4.2.B; the beer–quiche example at a low prior, Cho & Kreps 1987, p. 186).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from accord.signals.beliefs import TOL, BeliefRegion, feasible, region
from accord.signals.game import SignallingGame

MAX_CANDIDATES = 200_000
"""Above this many (sender, receiver) candidates (many payoff ties), check all profiles at once."""

MAX_LISTED = 200
"""At most this many equilibria are built in full (beliefs, payoffs, intuitive criterion); the
count and the kinds cover all of them."""


@lru_cache(maxsize=64)
def strategies(n_from: int, n_to: int) -> np.ndarray:
    """Every map {0..n_from-1} → {0..n_to-1} as rows of an (n_to**n_from, n_from) int array."""
    return np.array(list(itertools.product(range(n_to), repeat=n_from)), dtype=np.intp).reshape(
        -1, n_from
    )


@lru_cache(maxsize=64)
def distinct_messages(n_types: int, n_messages: int) -> np.ndarray:
    """How many distinct messages each sender strategy of :func:`strategies` uses."""
    rows = strategies(n_types, n_messages)
    return np.array([len(set(row)) for row in rows.tolist()], dtype=np.intp)


def admissible(game: SignallingGame, tol: float = TOL) -> np.ndarray:
    """(M, A) booleans: action a is a best reply after message m to some belief over all types."""
    t_count, m_count, a_count = game.shape
    if t_count <= 2:
        return admissible_batch(game.ur[None], tol)[0]
    return np.array(
        [[feasible(game.ur[:, m, :], a, None, tol) for a in range(a_count)] for m in range(m_count)]
    )


def admissible_batch(ur: np.ndarray, tol: float = TOL) -> np.ndarray:
    """(N, M, A) admissibility for N games at once; closed form for at most two types."""
    n, t_count, m_count, a_count = ur.shape
    if t_count > 2:
        out = np.zeros((n, m_count, a_count), dtype=bool)
        for k in range(n):
            for m in range(m_count):
                for a in range(a_count):
                    out[k, m, a] = feasible(ur[k, :, m, :], a, None, tol)
        return out
    if t_count == 1:
        row = ur[:, 0]
        return row >= row.max(axis=-1, keepdims=True) - tol
    # q = P(type 0); action a beats a' iff q·(d0 - d1) >= -tol - d1 (see beliefs._interval_two)
    d = ur[:, :, :, :, None] - ur[:, :, :, None, :]  # (N, 2, M, A, A'): a minus a'
    slope = d[:, 0] - d[:, 1]
    rhs = -tol - d[:, 1]
    flat = np.abs(slope) <= 1e-15
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = rhs / slope
    lo = np.where(~flat & (slope > 0), bound, 0.0).max(axis=-1)
    hi = np.where(~flat & (slope < 0), bound, 1.0).min(axis=-1)
    blocked = np.any(flat & (rhs > 0), axis=-1)
    return (np.maximum(lo, 0.0) <= np.minimum(hi, 1.0)) & ~blocked


def equilibrium_mask(
    prior: np.ndarray, us: np.ndarray, ur: np.ndarray, adm: np.ndarray, tol: float = TOL
) -> np.ndarray:
    """(N, nS, nR) booleans: which pure profiles are PBE, for N games of one shape at once.

    ``prior`` (N, T), ``us`` and ``ur`` (N, T, M, A), ``adm`` (N, M, A) from :func:`admissible`.
    Rows index :func:`strategies` (T → M) for the sender and (M → A) for the receiver.
    """
    n, t_count, m_count, a_count = us.shape
    s_all = strategies(t_count, m_count)
    r_all = strategies(m_count, a_count)
    onehot = (s_all[:, :, None] == np.arange(m_count)).astype(np.float64)  # (nS, T, M)
    mass = np.einsum("nt,stm->nsm", prior, onehot)
    eu = np.einsum("nt,stm,ntma->nsma", prior, onehot, ur)
    onpath = mass > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        post_eu = np.where(onpath[..., None], eu / np.where(onpath, mass, 1.0)[..., None], 0.0)
    best_reply = post_eu >= post_eu.max(axis=-1, keepdims=True) - tol
    allowed = np.where(onpath[..., None], best_reply, adm[:, None, :, :])  # (N, nS, M, A)
    ok = np.ones((n, len(s_all), len(r_all)), dtype=bool)
    for m in range(m_count):
        ok &= allowed[:, :, m, :][:, :, r_all[:, m]]
    value = us[:, :, np.arange(m_count)[None, :], r_all]  # (N, T, nR, M)
    sender_best = value >= value.max(axis=-1, keepdims=True) - tol
    for t in range(t_count):
        ok &= sender_best[:, t][:, :, s_all[:, t]].transpose(0, 2, 1)
    return ok


def candidate_profiles(game: SignallingGame, adm: np.ndarray, tol: float = TOL) -> np.ndarray:
    """(K, 2) rows (sender index, receiver index) of every pure PBE of one game.

    The same conditions as :func:`equilibrium_mask`, checked in the other order to save work:
    for each receiver strategy the sender's best replies are computed for all types at once,
    and only the sender strategies built from them (one per receiver strategy unless some type
    is indifferent) are checked for Bayes-consistent receiver best replies.
    """
    t_count, m_count, a_count = game.shape
    r_all = strategies(m_count, a_count)
    value = game.us[:, np.arange(m_count)[None, :], r_all].transpose(1, 0, 2)  # (nR, T, M)
    best = value >= value.max(axis=-1, keepdims=True) - tol
    counts = best.sum(axis=-1)
    if float(np.prod(counts, axis=1, dtype=np.float64).sum()) > MAX_CANDIDATES:
        mask = equilibrium_mask(game.prior[None], game.us[None], game.ur[None], adm[None], tol)[0]
        return np.argwhere(mask)  # many ties: the all-profiles mask is cheaper than expanding
    place = m_count ** np.arange(t_count - 1, -1, -1)  # row index of a strategy in strategies()
    unique = np.all(counts == 1, axis=1)
    r_idx = [np.flatnonzero(unique)]
    s_idx = [best[unique].argmax(axis=-1) @ place]
    for r in np.flatnonzero(~unique).tolist():
        options = [np.flatnonzero(best[r, t]).tolist() for t in range(t_count)]
        combos = np.array(list(itertools.product(*options)), dtype=np.intp).reshape(-1, t_count)
        r_idx.append(np.full(len(combos), r, dtype=np.intp))
        s_idx.append(combos @ place)
    cand_r = np.concatenate(r_idx).astype(np.intp)
    cand_s = np.concatenate(s_idx).astype(np.intp)
    s_all = strategies(t_count, m_count)
    sender = s_all[cand_s]  # (K, T)
    receiver = r_all[cand_r]  # (K, M)
    ok = np.ones(len(cand_s), dtype=bool)
    for m in range(m_count):
        sends = sender == m  # (K, T)
        weights = sends * game.prior  # (K, T)
        mass = weights.sum(axis=1)
        onpath = mass > 0
        values = weights @ game.ur[:, m, :]  # (K, A), unnormalised expected payoffs
        with np.errstate(divide="ignore", invalid="ignore"):
            values = values / np.where(onpath, mass, 1.0)[:, None]
        chosen = receiver[:, m]
        on_ok = values[np.arange(len(chosen)), chosen] >= values.max(axis=1) - tol
        ok &= np.where(onpath, on_ok, adm[m, chosen])
    order = np.lexsort((cand_r[ok], cand_s[ok]))
    return np.stack([cand_s[ok][order], cand_r[ok][order]], axis=1)


def kind_of(sender: tuple[int, ...]) -> str:
    """ "pooling" (one message for all types), "separating" (all distinct) or "partial"."""
    distinct = len(set(sender))
    if distinct == 1:
        return "pooling"
    if distinct == len(sender):
        return "separating"
    return "partial"


@dataclass(frozen=True)
class Equilibrium:
    """A pure-strategy PBE with its beliefs, payoffs and intuitive-criterion verdict."""

    sender: tuple[int, ...]
    receiver: tuple[int, ...]
    kind: str
    posteriors: dict[int, np.ndarray]
    off_path: dict[int, BeliefRegion]
    sender_payoffs: np.ndarray
    sender_expected: float
    receiver_expected: float
    intuitive: bool
    broken_by: tuple[int, int] | None = None
    """(off-path message, type) that breaks the intuitive criterion, when it fails."""

    def to_dict(self, game: SignallingGame) -> dict[str, Any]:
        ty, me, ac = game.types, game.messages, game.actions
        return {
            "sender": {ty[t]: me[m] for t, m in enumerate(self.sender)},
            "receiver": {me[m]: ac[a] for m, a in enumerate(self.receiver)},
            "kind": self.kind,
            "posteriors": {
                me[m]: {ty[t]: round(float(x), 12) for t, x in enumerate(p)}
                for m, p in self.posteriors.items()
            },
            "off_path_beliefs": {me[m]: r.to_dict(ty) for m, r in self.off_path.items()},
            "payoffs": {
                "sender": {ty[t]: float(v) for t, v in enumerate(self.sender_payoffs)},
                "sender_expected": self.sender_expected,
                "receiver_expected": self.receiver_expected,
            },
            "intuitive": self.intuitive,
            "broken_by": None
            if self.broken_by is None
            else {"message": me[self.broken_by[0]], "type": ty[self.broken_by[1]]},
        }


@dataclass(frozen=True)
class Hybrid:
    """A semi-separating equilibrium of a two-type game: mixed sender and receiver strategies."""

    sender: np.ndarray
    """(T, M) probabilities of each message per type."""
    receiver: np.ndarray
    """(M, A) probabilities of each action per message."""
    posteriors: dict[int, np.ndarray]
    off_path: dict[int, BeliefRegion]
    sender_payoffs: np.ndarray
    receiver_expected: float

    def to_dict(self, game: SignallingGame) -> dict[str, Any]:
        ty, me, ac = game.types, game.messages, game.actions
        return {
            "kind": "hybrid",
            "sender": {
                ty[t]: {me[m]: float(x) for m, x in enumerate(row) if x > 0}
                for t, row in enumerate(self.sender)
            },
            "receiver": {
                me[m]: {ac[a]: float(x) for a, x in enumerate(row) if x > 0}
                for m, row in enumerate(self.receiver)
            },
            "posteriors": {
                me[m]: {ty[t]: float(x) for t, x in enumerate(p)}
                for m, p in self.posteriors.items()
            },
            "off_path_beliefs": {me[m]: r.to_dict(ty) for m, r in self.off_path.items()},
            "payoffs": {
                "sender": {ty[t]: float(v) for t, v in enumerate(self.sender_payoffs)},
                "sender_expected": float(game.prior @ self.sender_payoffs),
                "receiver_expected": self.receiver_expected,
            },
        }


@dataclass(frozen=True)
class Solution:
    """Every pure PBE of a game (and the hybrid ones when there is none and two types)."""

    game: SignallingGame
    equilibria: tuple[Equilibrium, ...]
    hybrids: tuple[Hybrid, ...] = ()
    admissible: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    kinds: dict[str, int] = field(default_factory=dict)
    """How many pure PBE of each kind there are (all of them, also beyond MAX_LISTED)."""

    @property
    def count(self) -> int:
        return sum(self.kinds.values())

    @property
    def truncated(self) -> bool:
        return self.count > len(self.equilibria)

    @property
    def separating_exists(self) -> bool:
        return self.kinds.get("separating", 0) > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "equilibria": [e.to_dict(self.game) for e in self.equilibria],
            "hybrid": [h.to_dict(self.game) for h in self.hybrids],
            "count": self.count,
            "kinds": dict(self.kinds),
            "listed": len(self.equilibria),
            "separating_exists": self.separating_exists,
        }


class _Regions:
    """Cache of B(m, a; K) for one game (a region is computed once per message, action, K)."""

    def __init__(self, game: SignallingGame, tol: float, adm: np.ndarray | None = None) -> None:
        self.game, self.tol = game, tol
        self._cache: dict[tuple[int, int, tuple[int, ...]], BeliefRegion | None] = {}
        self._feasible: dict[tuple[int, int, tuple[int, ...]], bool] = {}
        if adm is not None:  # the full-support answers are already known
            everyone = tuple(range(game.shape[0]))
            for m, a in np.ndindex(adm.shape):
                self._feasible[(m, a, everyone)] = bool(adm[m, a])

    def get(self, m: int, a: int, support: tuple[int, ...]) -> BeliefRegion | None:
        key = (m, a, support)
        if key not in self._cache:
            self._cache[key] = region(self.game.ur[:, m, :], a, support, self.tol)
        return self._cache[key]

    def ok(self, m: int, a: int, support: tuple[int, ...]) -> bool:
        key = (m, a, support)
        if key in self._cache:
            return self._cache[key] is not None
        if key not in self._feasible:
            self._feasible[key] = feasible(self.game.ur[:, m, :], a, support, self.tol)
        return self._feasible[key]


def intuitive_check(
    game: SignallingGame,
    eq_payoffs: np.ndarray,
    off_path: list[int],
    regions: _Regions | None = None,
    tol: float = TOL,
) -> tuple[bool, tuple[int, int] | None]:
    """The intuitive criterion (Cho & Kreps 1987, p. 202) for equilibrium payoffs ``u*(t)``."""
    regions = regions or _Regions(game, tol)
    t_count, _, a_count = game.shape
    everyone = tuple(range(t_count))
    for m in off_path:
        replies = [a for a in range(a_count) if regions.ok(m, a, everyone)]
        best = np.array([max(game.us[t, m, a] for a in replies) for t in everyone])
        rest = tuple(t for t in everyone if not eq_payoffs[t] > best[t] + tol)
        if not rest or len(rest) == t_count:
            continue  # nobody or everybody is equilibrium-dominated: no restriction on beliefs
        restricted = [a for a in range(a_count) if regions.ok(m, a, rest)]
        for t in rest:
            if min(game.us[t, m, a] for a in restricted) > eq_payoffs[t] + tol:
                return False, (m, t)
    return True, None


def _build(
    game: SignallingGame, s: tuple[int, ...], r: tuple[int, ...], regions: _Regions
) -> Equilibrium:
    t_count, m_count, _ = game.shape
    posteriors: dict[int, np.ndarray] = {}
    off: dict[int, BeliefRegion] = {}
    for m in range(m_count):
        weights = np.array([game.prior[t] if s[t] == m else 0.0 for t in range(t_count)])
        if weights.sum() > 0:
            posteriors[m] = weights / weights.sum()
        else:
            reg = regions.get(m, r[m], tuple(range(t_count)))
            assert reg is not None  # the mask admitted this action
            off[m] = reg
    u_s = np.array([game.us[t, s[t], r[s[t]]] for t in range(t_count)])
    u_r = float(sum(game.prior[t] * game.ur[t, s[t], r[s[t]]] for t in range(t_count)))
    intuitive, broken = intuitive_check(game, u_s, sorted(off), regions, regions.tol)
    return Equilibrium(
        sender=s,
        receiver=r,
        kind=kind_of(s),
        posteriors=posteriors,
        off_path=off,
        sender_payoffs=u_s,
        sender_expected=float(game.prior @ u_s),
        receiver_expected=u_r,
        intuitive=intuitive,
        broken_by=broken,
    )


def profiles(game: SignallingGame, tol: float = TOL) -> list[tuple[tuple[int, ...], ...]]:
    """The (sender, receiver) index tuples of every pure PBE, in strategy order."""
    t_count, m_count, a_count = game.shape
    found = candidate_profiles(game, admissible(game, tol), tol)
    s_all, r_all = strategies(t_count, m_count), strategies(m_count, a_count)
    return [(tuple(map(int, s_all[i])), tuple(map(int, r_all[j]))) for i, j in found]


def separating_exists(game: SignallingGame, tol: float = TOL) -> bool:
    """Whether some pure PBE is separating (no beliefs or payoffs built: for threshold search)."""
    t_count, m_count, _ = game.shape
    if t_count < 2 or t_count > m_count:
        return False
    found = candidate_profiles(game, admissible(game, tol), tol)
    return bool(np.any(distinct_messages(t_count, m_count)[found[:, 0]] == t_count))


def solve(game: SignallingGame, tol: float = TOL, with_hybrids: bool = True) -> Solution:
    """Every pure-strategy PBE of ``game`` (module docstring), plus hybrids when needed."""
    t_count, m_count, a_count = game.shape
    adm = admissible(game, tol)
    found = candidate_profiles(game, adm, tol)
    s_all, r_all = strategies(t_count, m_count), strategies(m_count, a_count)
    regions = _Regions(game, tol, adm)
    eqs = tuple(
        _build(game, tuple(map(int, s_all[i])), tuple(map(int, r_all[j])), regions)
        for i, j in found[:MAX_LISTED]
    )
    distinct = distinct_messages(t_count, m_count)[found[:, 0]]
    kinds = {
        "pooling": int(np.sum(distinct == 1)),
        "separating": int(np.sum((distinct == t_count) & (distinct > 1))),
        "partial": int(np.sum((distinct > 1) & (distinct < t_count))),
    }
    hyb: tuple[Hybrid, ...] = ()
    if with_hybrids and not len(found) and t_count == 2:
        hyb = tuple(hybrids(game, tol, regions))
    return Solution(game=game, equilibria=eqs, hybrids=hyb, admissible=adm, kinds=kinds)


def hybrids(
    game: SignallingGame, tol: float = TOL, regions: _Regions | None = None
) -> list[Hybrid]:
    """Semi-separating equilibria of a two-type game (module docstring).

    Type ``i`` sends ``m`` for sure; type ``j`` sends ``m`` with probability σ and ``m2``
    otherwise. After ``m2`` the receiver knows the type is ``j`` and plays a best reply ``b``
    to it. After ``m`` it mixes ``a`` (probability ρ) and ``a2``; that needs the posterior
    ``q = μ(i | m)`` to make it indifferent, ``q·Δ_i + (1 - q)·Δ_j = 0`` with
    ``Δ = u_R(·, m, a) - u_R(·, m, a2)``, whence σ = p_i (1 - q) / (q p_j). Type ``j`` must be
    indifferent: ρ = (u_S(j, m2, b) - u_S(j, m, a2)) / (u_S(j, m, a) - u_S(j, m, a2)). Off-path
    messages need an action, a best reply to some belief, that neither type gains by. Hybrids in
    which both types mix are not searched (about a quarter of random two-type games without a
    pure equilibrium need one; the findings then say so).
    """
    t_count, m_count, a_count = game.shape
    if t_count != 2:
        return []
    regions = regions or _Regions(game, tol)
    p, us, ur = game.prior, game.us, game.ur
    both = (0, 1)
    out: list[Hybrid] = []
    for i in (0, 1):
        j = 1 - i
        if p[i] <= 0 or p[j] <= 0:
            continue
        for m, m2 in itertools.permutations(range(m_count), 2):
            for a, a2 in itertools.combinations(range(a_count), 2):
                di = ur[i, m, a] - ur[i, m, a2]
                dj = ur[j, m, a] - ur[j, m, a2]
                if abs(dj - di) <= 1e-15:
                    continue
                q = dj / (dj - di)
                if not p[i] + tol < q < 1 - tol:
                    continue
                belief = np.zeros(2)
                belief[i], belief[j] = q, 1 - q
                values = belief @ ur[:, m, :]
                if values[a] < values.max() - tol:
                    continue
                sigma = p[i] * (1 - q) / (q * p[j])
                replies = [b for b in range(a_count) if ur[j, m2, b] >= ur[j, m2].max() - tol]
                for b in replies:
                    gap = us[j, m, a] - us[j, m, a2]
                    if abs(gap) <= 1e-15:
                        continue
                    rho = (us[j, m2, b] - us[j, m, a2]) / gap
                    if not -tol <= rho <= 1 + tol:
                        continue
                    rho = min(max(rho, 0.0), 1.0)
                    u = np.zeros(2)
                    u[j] = us[j, m2, b]
                    u[i] = rho * us[i, m, a] + (1 - rho) * us[i, m, a2]
                    if u[i] < us[i, m2, b] - tol:
                        continue
                    off: dict[int, BeliefRegion] = {}
                    receiver = np.zeros((m_count, a_count))
                    for other in range(m_count):
                        if other in (m, m2):
                            continue
                        deter = [
                            c
                            for c in range(a_count)
                            if regions.ok(other, c, both)
                            and all(us[t, other, c] <= u[t] + tol for t in both)
                        ]
                        if not deter:
                            break
                        reg = regions.get(other, deter[0], both)
                        assert reg is not None
                        off[other] = reg
                        receiver[other, deter[0]] = 1.0
                    else:
                        sender = np.zeros((2, m_count))
                        sender[i, m] = 1.0
                        sender[j, m], sender[j, m2] = sigma, 1 - sigma
                        receiver[m, a], receiver[m, a2] = rho, 1 - rho
                        receiver[m2, b] = 1.0
                        post_m2 = np.zeros(2)
                        post_m2[j] = 1.0
                        mix = rho * ur[:, m, a] + (1 - rho) * ur[:, m, a2]
                        u_r = p[i] * mix[i] + p[j] * (sigma * mix[j] + (1 - sigma) * ur[j, m2, b])
                        out.append(
                            Hybrid(
                                sender=sender,
                                receiver=receiver,
                                posteriors={m: belief, m2: post_m2},
                                off_path=off,
                                sender_payoffs=u,
                                receiver_expected=float(u_r),
                            )
                        )
    return out
