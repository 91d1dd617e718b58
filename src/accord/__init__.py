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

API = (
    "analyse", "engine", "forecast", "information", "ratify", "run", "sequence", "signals",
    "simulate", "stability", "sweep",
)  # fmt: skip
__all__ = ["__version__", "load", *API]


def load(ref: str) -> Scenario:
    """Load a scenario from a path or a built-in id (``"hanoi-2019"``)."""
    from accord.io.scenario_file import load_scenario

    return load_scenario(ref)


def __getattr__(name: str) -> Any:
    # The API functions live in accord.app.api; importing them lazily keeps 'accord --help' fast.
    if name in API:
        from accord.app import api

        return getattr(api, name)
    raise AttributeError(f"module 'accord' has no attribute {name!r}")
