"""Helpers: a one-issue divide-the-dollar scenario with optional ratifiers and outside options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.scenario.model import Scenario


def _dollar(
    domestic: list[dict[str, Any]] | None = None,
    *,
    step: float = 0.01,
    discounts: tuple[float, float] | None = None,
    outside: tuple[float | None, float | None] = (None, None),
    proposals: list[dict[str, Any]] | None = None,
) -> Scenario:
    prefs: dict[str, Any] = {
        "a": {"weights": {"share": 1}, "values": {"share": "increasing"}},
        "b": {"weights": {"share": 1}, "values": {"share": "decreasing"}},
    }
    for k, pid in enumerate(("a", "b")):
        if discounts is not None:
            prefs[pid]["discount"] = discounts[k]
        if outside[k] is not None:
            prefs[pid]["outside_option"] = outside[k]
    data: dict[str, Any] = {
        "accord": 1,
        "id": "dollar",
        "title": "Divide the dollar",
        "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "issues": [{"id": "share", "range": [0, 1], "step": step}],
        "preferences": prefs,
    }
    if domestic is not None:
        data["domestic"] = domestic
    if proposals is not None:
        data["proposals"] = proposals
    return Scenario.model_validate(data)


@pytest.fixture
def dollar() -> Callable[..., Scenario]:
    """Build a divide-the-dollar scenario (see :func:`_dollar`)."""
    return _dollar
