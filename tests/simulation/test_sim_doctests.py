"""The examples in the simulation modules' docstrings run as tests (DESIGN.md §8)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord.simulation.setup",
    "accord.simulation.strategies",
    "accord.simulation.scalar",
    "accord.simulation.batch",
    "accord.simulation.from_scenario",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
