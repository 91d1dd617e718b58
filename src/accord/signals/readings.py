"""What an analyst reads off a solved signalling game.

* **Informative messages.** A message moves the receiver's belief when, in some equilibrium in
  which it is sent, its posterior differs from the prior; the size of the move is the total
  variation distance ``½ Σ_t |μ(t | m) - p(t)|``.
* **Costly versus cheap.** The cost of message ``m`` to type ``t`` when the receiver answers ``a``
  is ``u_S(t, baseline, a) - u_S(t, m, a)``: what the type gives up by sending ``m`` rather than the
  baseline ("do nothing") message for the same response. A message that costs no type anything
  whatever the response is cheap talk (Crawford & Sobel 1982; Farrell & Rabin 1996, JEP 10(3),
  p. 103).
* **Tying hands versus sinking costs** (Fearon 1997, "Signaling foreign policy interests", JCR
  41(1), pp. 69-70): a cost paid whatever the receiver does is *sunk*; a cost that depends on the
  response (an audience cost paid only when the sender backs down) *ties hands*.
* **What it would take.** The smallest change to one payoff that makes a separating equilibrium
  appear (or disappear): exact breakpoints where the payoff crosses another one it is compared
  with, else a grid scan and bisection. No change to the prior alone can do it (see
  :func:`what_it_would_take`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.signals.batch import solve_batch
from accord.signals.beliefs import TOL
from accord.signals.game import SignallingGame
from accord.signals.solver import Solution, separating_exists, strategies

MAX_THRESHOLD_PROFILES = 2_000
""""What it would take" is searched only for games with at most this many pure profiles."""


@dataclass(frozen=True)
class MessageReading:
    """One message: how much it moves beliefs, what it costs each type, which kind of cost."""

    message: int
    shift: float | None
    """Largest total-variation move of the belief where it is sent (None: never sent)."""
    sent_in: int
    separates: bool
    """Some equilibrium has it sent by some types but not all."""
    cost: np.ndarray
    """(T, A): cost to each type relative to the baseline message, per receiver response."""
    cost_kind: str
    """"baseline", "cheap", "sunk" or "tied-hands"."""

    def to_dict(self, game: SignallingGame) -> dict[str, Any]:
        return {
            "message": game.messages[self.message],
            "belief_shift": self.shift,
            "sent_in": self.sent_in,
            "separates": self.separates,
            "cost_kind": self.cost_kind,
            "cost": {
                game.types[t]: {game.actions[a]: float(c) for a, c in enumerate(row)}
                for t, row in enumerate(self.cost)
            },
        }


def message_readings(solution: Solution, tol: float = TOL) -> list[MessageReading]:
    """One :class:`MessageReading` per message (module docstring)."""
    game = solution.game
    t_count, m_count, _ = game.shape
    out = []
    for m in range(m_count):
        cost = game.us[:, game.baseline, :] - game.us[:, m, :]
        if m == game.baseline:
            kind = "baseline"
        elif np.all(np.abs(cost) <= tol):
            kind = "cheap"
        elif np.all(np.ptp(cost, axis=1) <= tol):
            kind = "sunk"
        else:
            kind = "tied-hands"
        shifts, separates = [], False
        for eq in solution.equilibria:
            if m in eq.posteriors:
                shifts.append(0.5 * float(np.abs(eq.posteriors[m] - game.prior).sum()))
                senders = sum(1 for s in eq.sender if s == m)
                separates |= 0 < senders < t_count
        for hy in solution.hybrids:
            if m in hy.posteriors:
                shifts.append(0.5 * float(np.abs(hy.posteriors[m] - game.prior).sum()))
        out.append(
            MessageReading(
                message=m,
                shift=max(shifts) if shifts else None,
                sent_in=len(shifts),
                separates=separates,
                cost=cost,
                cost_kind=kind,
            )
        )
    return out


@dataclass(frozen=True)
class Threshold:
    """The smallest change to one number that flips whether a separating equilibrium exists."""

    target: str
    """"sender", "receiver" (a payoff) or "prior"."""
    type: int
    message: int
    action: int
    current: float
    needed: float
    becomes: bool
    """Whether a separating equilibrium exists after the change."""

    @property
    def change(self) -> float:
        return self.needed - self.current

    def to_dict(self, game: SignallingGame) -> dict[str, Any]:
        out: dict[str, Any] = {
            "target": self.target,
            "type": game.types[self.type],
            "current": self.current,
            "needed": round(self.needed, 6),
            "change": round(self.change, 6),
            "separating_after": self.becomes,
        }
        if self.target != "prior":
            out["message"] = game.messages[self.message]
            out["action"] = game.actions[self.action]
        return out


def _with_payoff(game: SignallingGame, target: str, idx: tuple[int, int, int], v: float) -> Any:
    arr = (game.us if target == "sender" else game.ur).copy()
    arr[idx] = v
    return game.replace(**{"us" if target == "sender" else "ur": arr})


def _scan(game: SignallingGame, target: str, idx: tuple[int, ...], values: np.ndarray) -> Any:
    """Whether a separating equilibrium exists with one payoff set to each of ``values``."""
    n = len(values)
    us = np.repeat(game.us[None], n, axis=0)
    ur = np.repeat(game.ur[None], n, axis=0)
    key: tuple[Any, ...] = (slice(None), *idx)
    (us if target == "sender" else ur)[key] = values
    prior = np.repeat(game.prior[None], n, axis=0)
    return solve_batch(prior, us, ur).separating_exists


def _flip(
    game: SignallingGame,
    target: str,
    idx: tuple[int, ...],
    stop: float,
    now: bool,
    steps: int,
    rounds: int,
) -> float | None:
    """First value from the current one towards ``stop`` where separation differs from ``now``.

    A grid of ``steps`` points, all solved at once (:func:`accord.signals.batch.solve_batch`),
    brackets the first switch; each of ``rounds`` refinements splits the bracket into 32 again.
    """
    start = float((game.us if target == "sender" else game.ur)[idx])
    grid = np.linspace(start, stop, steps + 1)
    flips = np.flatnonzero(_scan(game, target, idx, grid[1:]) != now)
    if not len(flips):
        return None
    lo, hi = float(grid[flips[0]]), float(grid[flips[0] + 1])
    for _ in range(rounds):
        sub = np.linspace(lo, hi, 33)
        k = int(np.flatnonzero(_scan(game, target, idx, sub[1:]) != now)[0])
        lo, hi = float(sub[k]), float(sub[k + 1])
    return hi


def _first_flip(make: Any, cur: float, candidates: np.ndarray, now: bool) -> float | None:
    """The breakpoint nearest ``cur`` beyond which separation differs from ``now``."""
    for v in sorted(set(candidates.tolist()), key=lambda v: abs(v - cur)):
        step = 1e-7 * max(1.0, abs(v))
        probes = [cur + step, cur - step] if v == cur else [v + step * np.sign(v - cur)]
        if any(separating_exists(make(float(x))) != now for x in probes):
            return float(v)
    return None


def what_it_would_take(
    game: SignallingGame, steps: int = 48, rounds: int = 4, span: float | None = None
) -> list[Threshold]:
    """Every single-payoff change that flips separation, smallest first (module docstring).

    A sender payoff ``u_S(t, m, a)`` enters only type ``t``'s comparisons of its own payoffs, so
    separation can switch only where it crosses another ``u_S(t, ·, ·)``: those breakpoints are
    tried in order of distance, and the answer is exact. So are the receiver's payoffs when every
    message is on path in a separating profile (T = M: each posterior is certain of one type and
    ``u_R(t, m, a)`` is compared with ``u_R(t, m, ·)`` only); otherwise they are scanned over a grid
    of ``steps`` points up to ``span`` away (default: twice the range of the payoffs, at least 1)
    and refined ``rounds`` times by a factor of 32 (to about 1e-7 of ``span``). The prior is not
    searched: in a separating profile each on-path posterior puts probability 1 on one type
    whatever the prior (while every prior is positive), and off-path beliefs are free, so no
    prior change creates or removes separation.
    Returns [] for games with more than :data:`MAX_THRESHOLD_PROFILES` pure profiles.
    """
    t_count, m_count, a_count = game.shape
    if len(strategies(t_count, m_count)) * len(strategies(m_count, a_count)) > (
        MAX_THRESHOLD_PROFILES
    ):
        return []
    now = separating_exists(game)
    both = np.concatenate([game.us.ravel(), game.ur.ravel()])
    width = span if span is not None else max(1.0, 2.0 * float(both.max() - both.min()))
    found: list[Threshold] = []
    for target in ("sender", "receiver"):
        arr = game.us if target == "sender" else game.ur
        for idx in np.ndindex(arr.shape):
            t, m, a = (int(i) for i in idx)
            cur = float(arr[idx])

            def make(v: float, idx: tuple[int, ...] = idx, target: str = target) -> Any:
                return _with_payoff(game, target, idx, v)  # type: ignore[arg-type]

            best: float | None
            if target == "sender":
                best = _first_flip(make, cur, arr[t].ravel(), now)
            elif t_count == m_count:
                best = _first_flip(make, cur, arr[t, m], now)
            else:
                best = None
                for stop in (cur + width, cur - width):
                    hit = _flip(game, target, idx, stop, now, steps, rounds)
                    if hit is not None and (best is None or abs(hit - cur) < abs(best - cur)):
                        best = hit
            if best is not None:
                found.append(Threshold(target, t, m, a, cur, best, not now))
    # Smallest first; among equal changes: the sender's own payoffs before the receiver's, and
    # costly messages before cheap ones and the baseline.
    cost = np.abs(game.us[:, game.baseline, :][:, None, :] - game.us).max(axis=(0, 2))
    found.sort(
        key=lambda th: (
            round(abs(th.change), 6),
            {"sender": 0, "receiver": 1, "prior": 2}[th.target],
            -float(cost[th.message]),
        )
    )
    return found
