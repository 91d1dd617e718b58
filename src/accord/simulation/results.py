"""Results of simulated negotiations: one full trace, or arrays over many runs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np


def accord_version() -> str:
    # Not `from accord import __version__`: the package's top level reaches the edges (io, cli),
    # which the engines must not import (import-linter contract).
    try:
        return version("accord")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


END_AGREEMENT = 0
END_DEADLINE = 1
END_WALK_AWAY = 2
END_NAMES = ("agreement", "deadline", "walk-away")


@dataclass(frozen=True)
class Offer:
    """One round: who proposed what, and how each responder answered (in order)."""

    round: int  # 1-based
    proposer: int
    outcome: int
    utilities: tuple[float, ...]  # undiscounted, every party
    responses: tuple[tuple[int, str], ...]  # (party, "accept" | "reject" | "walk-away")

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "proposer": self.proposer,
            "outcome": self.outcome,
            "utilities": list(self.utilities),
            "responses": [{"party": p, "response": r} for p, r in self.responses],
        }


@dataclass(frozen=True)
class NegotiationTrace:
    """The full record of one negotiation from the scalar engine.

    ``agreement`` is the outcome number or -1; ``round`` is the 1-based round in which the
    negotiation ended; ``utilities`` are what each party got: the discounted utility of the
    agreement, or its walk-away value in the final round when there was none.
    """

    agreement: int
    round: int
    end: int
    walked_away: int  # party index, or -1
    utilities: tuple[float, ...]
    offers: tuple[Offer, ...]
    strategies: tuple[str, ...]
    seed: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement if self.agreement >= 0 else None,
            "round": self.round,
            "end": END_NAMES[self.end],
            "walked_away": self.walked_away if self.walked_away >= 0 else None,
            "utilities": list(self.utilities),
            "strategies": list(self.strategies),
            "seed": self.seed,
            "offers": [o.to_dict() for o in self.offers],
            "accord_version": accord_version(),
        }


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Many negotiations as arrays (one entry per run); identical from either engine."""

    agreement: np.ndarray  # (runs,) outcome number or -1
    rounds: np.ndarray  # (runs,) 1-based round in which each ended
    end: np.ndarray  # (runs,) END_* code
    walked_away: np.ndarray  # (runs,) party index or -1
    utilities: np.ndarray  # (runs, n_parties) realised (discounted) utilities
    strategies: tuple[str, ...]
    seed: int
    engine: str

    @property
    def runs(self) -> int:
        return int(self.agreement.shape[0])

    @property
    def agreement_rate(self) -> float:
        return float(np.mean(self.agreement >= 0)) if self.runs else 0.0

    def agreement_counts(self, top: int = 10) -> list[tuple[int, int]]:
        """The most frequent agreements as (outcome, count), most frequent first."""
        counts = Counter(int(a) for a in self.agreement if a >= 0)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]

    def round_histogram(self, bins: int = 10, deadline: int | None = None) -> list[dict[str, Any]]:
        """How many runs ended in each range of rounds."""
        hi = int(deadline or (self.rounds.max() if self.runs else 1))
        width = -(-hi // bins)  # ceiling: equal-width bins of whole rounds
        edges = np.arange(0, hi + width, width)
        counts, _ = np.histogram(self.rounds - 1, bins=edges)  # rounds k+1..k+w in [k, k+w)
        return [
            {"from": int(edges[k]) + 1, "to": int(edges[k + 1]), "count": int(c)}
            for k, c in enumerate(counts)
        ]

    def to_dict(self) -> dict[str, Any]:
        agreed = self.agreement >= 0
        ends = {name: int(np.sum(self.end == k)) for k, name in enumerate(END_NAMES)}
        return {
            "runs": self.runs,
            "agreement_rate": self.agreement_rate,
            "mean_rounds": float(self.rounds.mean()) if self.runs else None,
            "mean_rounds_to_agreement": float(self.rounds[agreed].mean()) if agreed.any() else None,
            "mean_utilities": self.utilities.mean(axis=0).tolist() if self.runs else [],
            "ends": ends,
            "agreements": [{"outcome": o, "count": c} for o, c in self.agreement_counts()],
            "strategies": list(self.strategies),
            "seed": self.seed,
            "engine": self.engine,
            "accord_version": accord_version(),
        }
