"""Summaries of many runs: counts, histogram and JSON."""

from __future__ import annotations

import json

import numpy as np

from accord.simulation.results import BatchResult


def _result() -> BatchResult:
    return BatchResult(
        agreement=np.array([3, -1, 3, 5, -1]),
        rounds=np.array([1, 2, 12, 12, 7]),
        end=np.array([0, 2, 0, 0, 1], dtype=np.int8),
        walked_away=np.array([-1, 1, -1, -1, -1]),
        utilities=np.array([[0.5, 0.5], [0.1, 0.2], [0.4, 0.4], [0.9, 0.0], [0.1, 0.2]]),
        strategies=("linear", "hardliner"),
        seed=7,
        engine="batch",
    )


def test_round_histogram_uses_whole_round_bins() -> None:
    hist = _result().round_histogram(bins=6, deadline=12)
    assert [(h["from"], h["to"]) for h in hist] == [
        (1, 2),
        (3, 4),
        (5, 6),
        (7, 8),
        (9, 10),
        (11, 12),
    ]
    assert [h["count"] for h in hist] == [2, 0, 0, 1, 0, 2]


def test_summary_counts_agreements_and_ends() -> None:
    out = _result().to_dict()
    assert out["runs"] == 5 and out["agreement_rate"] == 0.6
    assert out["agreements"] == [{"outcome": 3, "count": 2}, {"outcome": 5, "count": 1}]
    assert out["ends"] == {"agreement": 3, "deadline": 1, "walk-away": 1}
    assert out["mean_rounds"] == 34 / 5 and out["mean_rounds_to_agreement"] == 25 / 3
    assert out["mean_utilities"] == [0.4, 0.26] and out["seed"] == 7
    json.dumps(out)
