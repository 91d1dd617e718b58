"""A one-issue divide-the-dollar scenario (step 0.001) with an ``information:`` section."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from accord.io.scenario_file import parse_scenario


def dollar(
    belief: dict[str, Any] | float,
    *,
    r_bob: float = 0.0,
    r_alice: float = 0.0,
    discount: float = 1.0,
    discount_bob: float | None = None,
    protocol: str = "ultimatum",
    rounds: int = 1,
    grid: int = 1000,
    step: float = 0.001,
    **extra: Any,
) -> dict[str, Any]:
    """Alice proposes a split of the dollar (issue: Bob's share) to Bob, whose bottom line she
    does not know; ``belief`` is her belief about it."""
    return {
        "accord": 1,
        "id": "dollar-info",
        "title": "Divide the dollar, Bob's bottom line unknown",
        "parties": [{"id": "alice", "name": "Alice"}, {"id": "bob", "name": "Bob"}],
        "issues": [{"id": "bob-share", "range": [0, 1], "step": step}],
        "preferences": {
            "alice": {
                "weights": {"bob-share": 1},
                "values": {"bob-share": "decreasing"},
                "reservation": r_alice,
                "discount": discount,
            },
            "bob": {
                "weights": {"bob-share": 1},
                "values": {"bob-share": "increasing"},
                "reservation": r_bob,
                "discount": discount if discount_bob is None else discount_bob,
            },
        },
        "information": {
            "beliefs": [{"holder": "alice", "about": "bob", "reservation": belief}],
            "protocol": protocol,
            "proposer": "alice",
            "rounds": rounds,
            "grid": grid,
            **extra,
        },
    }


@pytest.fixture
def build():
    def _build(data: dict[str, Any]):
        return parse_scenario(yaml.safe_dump(data), file="dollar.yaml")

    return _build
