"""A finite signalling game: sender types with a prior, messages, receiver actions, two payoffs.

The model is the standard one of Cho & Kreps (1987, "Signaling games and stable equilibria",
QJE 102(2), §II, pp. 183-186): nature draws the sender's type ``t`` with prior ``p(t)``; the
sender, knowing ``t``, sends a message ``m``; the receiver sees ``m`` (not ``t``) and takes an
action ``a``. Payoffs are ``u_S(t, m, a)`` for the sender and ``u_R(t, m, a)`` for the receiver.

Arrays are indexed ``[type, message, action]``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import EngineInputError

MAX_SIZE = 5
"""At most this many types, messages and actions (a 5×5×5 game has 3,125 × 3,125 profiles)."""

PRIOR_TOL = 1e-9
"""The prior must sum to 1 within this tolerance."""


@dataclass(frozen=True)
class SignallingGame:
    """One signalling game. ``prior`` has shape (T,); ``sender`` and ``receiver`` (T, M, A)."""

    types: tuple[str, ...]
    messages: tuple[str, ...]
    actions: tuple[str, ...]
    prior: np.ndarray
    us: np.ndarray
    ur: np.ndarray
    id: str = "game"
    title: str = ""
    sender: str = "sender"
    receiver: str = "receiver"
    baseline: int = 0
    """Index of the message costs are measured against (the "do nothing" message)."""
    labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        t, m, a = len(self.types), len(self.messages), len(self.actions)
        for what, n in (("types", t), ("messages", m), ("actions", a)):
            if n < 1:
                raise EngineInputError(f"game '{self.id}': give at least one of its {what}")
        if max(t, m, a) > MAX_SIZE:
            raise EngineInputError(
                f"game '{self.id}' has {t} types, {m} messages and {a} actions; at most "
                f"{MAX_SIZE} of each are supported: merge some"
            )
        prior = np.asarray(self.prior, dtype=np.float64)
        us = np.asarray(self.us, dtype=np.float64)
        ur = np.asarray(self.ur, dtype=np.float64)
        if prior.shape != (t,) or us.shape != (t, m, a) or ur.shape != (t, m, a):
            raise EngineInputError(
                f"game '{self.id}': prior must have shape ({t},) and payoffs ({t}, {m}, {a}); "
                f"got {prior.shape}, {us.shape}, {ur.shape}"
            )
        if not (np.all(np.isfinite(prior)) and np.all(np.isfinite(us)) and np.all(np.isfinite(ur))):
            raise EngineInputError(f"game '{self.id}': priors and payoffs must be finite numbers")
        if np.any(prior < 0) or abs(float(prior.sum()) - 1.0) > PRIOR_TOL:
            raise EngineInputError(
                f"game '{self.id}': the prior must be non-negative and sum to 1 (sums to "
                f"{float(prior.sum()):.12g})"
            )
        if not 0 <= self.baseline < m:
            raise EngineInputError(f"game '{self.id}': baseline message index out of range")
        object.__setattr__(self, "prior", prior)
        object.__setattr__(self, "us", us)
        object.__setattr__(self, "ur", ur)

    @property
    def shape(self) -> tuple[int, int, int]:
        return (len(self.types), len(self.messages), len(self.actions))

    def label(self, ident: str) -> str:
        return self.labels.get(ident, ident)

    def replace(self, **changes: Any) -> SignallingGame:
        """A copy with some fields changed, validated again (used by "what it would take")."""
        return dataclasses.replace(self, **changes)


def beer_quiche(p_strong: float = 0.9) -> SignallingGame:
    """The beer–quiche game of Cho & Kreps (1987, §II, p. 186) with prior P(strong) = p_strong.

    Sender: +1 for the preferred breakfast (strong: beer; weak: quiche), +2 if not dueled.
    Receiver: 1 for dueling the weak type or for not dueling the strong type, else 0.
    """
    types, messages, actions = ("strong", "weak"), ("beer", "quiche"), ("duel", "no-duel")
    us = np.zeros((2, 2, 2))
    ur = np.zeros((2, 2, 2))
    prefers = {0: 0, 1: 1}  # strong prefers beer, weak prefers quiche
    for t in range(2):
        for m in range(2):
            for a in range(2):
                us[t, m, a] = (1.0 if prefers[t] == m else 0.0) + (2.0 if a == 1 else 0.0)
                ur[t, m, a] = 1.0 if (t == 1 and a == 0) or (t == 0 and a == 1) else 0.0
    return SignallingGame(
        types=types,
        messages=messages,
        actions=actions,
        prior=np.array([p_strong, 1.0 - p_strong]),
        us=us,
        ur=ur,
        id="beer-quiche",
        title="Beer or quiche (Cho & Kreps 1987)",
    )
