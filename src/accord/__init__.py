"""Accord: model, analyse, forecast and simulate real negotiations.

>>> import accord
>>> s = accord.load("divide-the-dollar")
>>> s.title
'Divide the dollar'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from accord.scenario.model import Scenario

__all__ = ["__version__", "analyse", "load"]


def load(ref: str) -> Scenario:
    """Load a scenario from a path or a built-in id (``"hanoi-2019"``)."""
    from accord.io.scenario_file import load_scenario

    return load_scenario(ref)


def analyse(scenario: Scenario, **kwargs: Any) -> Any:
    """Bargaining analysis of a scenario (see :func:`accord.bargaining.analysis.analyse`)."""
    from accord.bargaining.analysis import analyse as _analyse

    return _analyse(scenario, **kwargs)
