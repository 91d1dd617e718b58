"""The docstring examples of the forecast modules run as tests."""

import doctest
import importlib

import pytest

MODULES = [
    "accord.forecast.central",
    "accord.forecast.engine",
    "accord.forecast.expected_utility",
    "accord.forecast.reference",
    "accord.io.stakeholders_csv",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
