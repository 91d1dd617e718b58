"""Does a forecast settle? Rounds to convergence, or the period and range of a cycle.

The expected-utility model is a deterministic map from one round's positions to the next, so a
trajectory either reaches a fixed point (no actor moves), enters a cycle (the positions of round
t repeat those of round t − p, and from then on repeat every p rounds), or neither within the
rounds examined. Scholz, Calbert & Smith (2011, §7, "concerns regarding model sensitivity and
convergence") note that the model need not settle; a forecast read off at a fixed round of a
cycling trajectory depends on which round is chosen, so Accord states the cycle instead.

Positions count as equal when every actor's agrees to ``TOLERANCE`` × the opening range, so a
trajectory that approaches its limit geometrically counts as converged once its steps fall below
that. A trajectory that is still moving when the examination stops is "unsettled", and the range
of its weighted mean over its last ``TAIL`` rounds is reported.

Example:
    >>> import numpy as np
    >>> traj = [np.array([0.0, 1.0]), np.array([0.5, 1.0]), np.array([0.5, 1.0])]
    >>> detect(traj, [0.5, 0.75, 0.75], [0.5, 0.75, 0.75]).status
    'converged'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

MAX_PERIOD = 24
"""Longest cycle looked for."""
TOLERANCE = 1e-6
"""Positions within this fraction of the opening range count as equal."""
TAIL = 10
"""Rounds summarised when a trajectory has not settled."""


@dataclass(frozen=True)
class Convergence:
    """How a trajectory ends.

    ``status``: "converged" (``rounds`` = the last round in which anyone moved, 0 if nobody
    ever moves), "cycle" (from round ``start`` the positions repeat every ``period`` rounds;
    ``mean_range``/``median_range`` are the smallest and largest weighted mean and median over
    one cycle; for "converged" both ends are the value it settles at) or "unsettled" (neither
    within ``examined`` rounds; the ranges are those of the last ``TAIL`` rounds).
    """

    status: str
    examined: int
    rounds: int | None = None
    start: int | None = None
    period: int | None = None
    mean_range: tuple[float, float] | None = None
    median_range: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "examined": self.examined,
            "rounds": self.rounds,
            "start": self.start,
            "period": self.period,
            "mean_range": None if self.mean_range is None else list(self.mean_range),
            "median_range": None if self.median_range is None else list(self.median_range),
        }

    def sentence(self, fmt: Any = lambda v: f"{v:.1f}") -> str:
        """Plain wording, e.g. "oscillates between 39.6 and 39.8 (period 2, from round 7)"."""
        if self.status == "converged":
            if not self.rounds:
                return "is settled from the start (nobody moves)"
            text = f"converges after {self.rounds} round{'s' if self.rounds != 1 else ''}"
            if self.mean_range is not None:
                text += f" at {fmt(self.mean_range[0])}"
            return text
        if self.status == "cycle":
            assert self.mean_range is not None
            lo, hi = self.mean_range
            return (
                f"oscillates between {fmt(lo)} and {fmt(hi)} (a {self.period}-round cycle from "
                f"round {self.start}); no single round's value is the forecast"
            )
        text = f"has not settled after {self.examined} rounds"
        if self.mean_range is not None:
            lo, hi = self.mean_range
            text += f" (over the last {TAIL} it moved between {fmt(lo)} and {fmt(hi)})"
        return text


def newest_repeat(
    positions: Sequence[NDArray[np.float64]], span: float, max_period: int = MAX_PERIOD
) -> int | None:
    """The smallest p with positions[-1] equal to positions[-1 - p] (None if none ≤ max_period)."""
    k = min(len(positions) - 1, max_period)
    if k < 1:
        return None
    last = np.asarray(positions[-1])
    earlier = np.stack([np.asarray(v) for v in positions[-1 - k : -1]][::-1])  # p = 1, 2, ...
    close = np.all(np.abs(earlier - last) <= TOLERANCE * max(span, 1.0), axis=1)
    hits = np.flatnonzero(close)
    return int(hits[0]) + 1 if hits.size else None


def detect(
    positions: Sequence[NDArray[np.float64]],
    means: Sequence[float],
    medians: Sequence[float],
    max_period: int = MAX_PERIOD,
) -> Convergence:
    """Classify a trajectory ``positions[0..T]`` (round 0 is the input)."""
    first = np.asarray(positions[0], dtype=np.float64)
    span = float(first.max() - first.min()) if first.size else 0.0
    tol = TOLERANCE * max(span, 1.0)
    examined = len(positions) - 1
    for t in range(1, len(positions)):
        for p in range(1, min(t, max_period) + 1):
            if np.all(np.abs(np.asarray(positions[t]) - np.asarray(positions[t - p])) <= tol):
                start = t - p
                if p == 1:
                    final = (means[start], means[start])
                    return Convergence(
                        "converged",
                        examined,
                        rounds=start,
                        mean_range=final,
                        median_range=(medians[start], medians[start]),
                    )
                window = range(start, t)
                return Convergence(
                    "cycle",
                    examined,
                    start=start,
                    period=p,
                    mean_range=(min(means[k] for k in window), max(means[k] for k in window)),
                    median_range=(
                        min(medians[k] for k in window),
                        max(medians[k] for k in window),
                    ),
                )
    tail = range(max(0, len(means) - TAIL), len(means))
    return Convergence(
        "unsettled",
        examined,
        mean_range=(min(means[k] for k in tail), max(means[k] for k in tail)),
        median_range=(min(medians[k] for k in tail), max(medians[k] for k in tail)),
    )
