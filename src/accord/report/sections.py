"""What the report and the web app draw: one :class:`~accord.app.run.RunResult`, never recomputed.

:func:`compute_sections` is :func:`accord.app.run.run_all` wrapped as :class:`ReportData`; a
caller that already has a run result (``accord run``) wraps it with :func:`report_data` instead,
so every engine runs once. No engine is called from this package (docs/architecture.md).

Example::

    >>> import accord
    >>> data = compute_sections(accord.load("divide-the-dollar"))
    >>> data.engine("analyse") is not None
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.app.run import EngineResult, RunResult, run_all
from accord.scenario.model import Scenario

UNCERTAINTY_TITLE = "Uncertainty"


@dataclass(frozen=True)
class ReportData:
    """The run result a report or a web answer shows."""

    run: RunResult

    @property
    def scenario(self) -> Scenario:
        return self.run.scenario

    @property
    def left_out(self) -> Mapping[str, str]:
        return self.run.left_out

    @property
    def seconds(self) -> Mapping[str, float]:
        return self.run.seconds

    def engine(self, key: str) -> EngineResult | None:
        return self.run.engines.get(key)


def report_data(run: RunResult) -> ReportData:
    return ReportData(run)


def compute_sections(
    scenario: Scenario,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    seed: int = 0,
    only: Sequence[str] | None = None,
) -> ReportData:
    """Run every engine once (:func:`accord.app.run.run_all`) and wrap the result."""
    return ReportData(run_all(scenario, overrides, seed=seed, only=only))


def section_title(key: str) -> str:
    from accord.app.registry import all_specs

    if key == "uncertainty":
        return UNCERTAINTY_TITLE
    spec = all_specs().get(key)
    return spec.title if spec is not None else key
