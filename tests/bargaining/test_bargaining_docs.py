"""The docstring examples of the bargaining engine run as tests (DESIGN.md §8)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord.bargaining",
    "accord.bargaining.frontier",
    "accord.bargaining.solutions",
    "accord.bargaining.analysis",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
