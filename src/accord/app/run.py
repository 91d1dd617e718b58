"""Compute once: :func:`run_all` runs every engine a scenario supports and returns one object.

``accord run`` prints it and writes the report from it; ``accord report`` and the web app's
evaluate endpoint call the same function (docs/architecture.md, "The life of one accord run").
An engine is left out only for an expected reason — the scenario lacks its section
(:class:`~accord.app.registry.Absent`), the input is refused (``EngineInputError``,
``ScenarioError``) or an optional extra is missing — and the reason is recorded. Anything else is
a bug and propagates.

Example::

    >>> from accord.io.scenario_file import load_scenario
    >>> result = run_all(load_scenario("divide-the-dollar"), only=("analyse",))
    >>> result.engines["analyse"].headlines["deal_possible"]
    1.0
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord import __version__
from accord.app.registry import Absent, Finding, MissingExtra, all_specs
from accord.app.result import DEFAULT_SEED, EngineResult, html_block, pandas_module, run_engine
from accord.errors import EngineInputError, ScenarioError
from accord.scenario.model import Scenario


@dataclass(frozen=True)
class RunResult:
    """Every engine's answer for one scenario, and why any engine was left out."""

    scenario: Scenario
    engines: Mapping[str, EngineResult]
    left_out: Mapping[str, str]
    seed: int
    uncertainty: Any | None = None
    seconds: Mapping[str, float] = field(default_factory=dict)

    def findings(self) -> list[Finding]:
        out = [f for r in self.engines.values() for f in r.findings]
        if self.uncertainty is not None:
            out.extend(self.uncertainty.findings)
        return out

    def to_frame(self) -> Any:
        """Every engine's headline numbers as a DataFrame (``engine``, ``name``, ``value``)."""
        pd = pandas_module()
        rows = [
            {"engine": k, "name": n, "value": float(v)}
            for k, r in self.engines.items()
            for n, v in r.headlines.items()
        ]
        return pd.DataFrame(rows, columns=["engine", "name", "value"])

    def _repr_html_(self) -> str:
        return "".join(html_block(r.title, r.findings, r.headlines) for r in self.engines.values())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "accord_version": __version__,
            "seed": self.seed,
            "settings": {k: r.settings.to_dict() for k, r in self.engines.items()},
            "engines": {k: r.to_dict() for k, r in self.engines.items()},
            "left_out": dict(self.left_out),
        }
        if self.uncertainty is not None:
            out["uncertainty"] = self.uncertainty.to_dict()
        return out


def expected_reason(exc: BaseException) -> str | None:
    """The reason an engine is left out, for the expected conditions only (None: a bug)."""
    if isinstance(exc, Absent | MissingExtra | EngineInputError | ScenarioError):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        from accord.app.extras import extra_for_module

        extra = extra_for_module(exc.name)
        if extra is not None:
            return f"install accord[{extra}] for this section ({exc.name} is missing)"
    return None


def run_all(
    scenario: Scenario,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    seed: int = DEFAULT_SEED,
    only: Sequence[str] | None = None,
    uncertainty: bool = True,
    uncertainty_samples: int | None = None,
) -> RunResult:
    """Run every engine the scenario supports (``only``: a subset by key), and the uncertainty
    summary, once. ``overrides`` maps an engine key to its explicit settings."""
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(all_specs()) - {"uncertainty"})
    if unknown:
        raise EngineInputError(
            f"settings given for unknown engine(s) {', '.join(unknown)}; use: "
            + ", ".join(all_specs())
        )
    engines: dict[str, EngineResult] = {}
    left_out: dict[str, str] = {}
    seconds: dict[str, float] = {}
    for key, spec in all_specs().items():
        if only is not None and key not in only:
            continue
        start = time.perf_counter()
        try:
            engines[key] = run_engine(spec, scenario, overrides.get(key), seed)
        except Exception as exc:
            reason = expected_reason(exc)
            if reason is None:
                raise
            left_out[key] = reason
        seconds[key] = time.perf_counter() - start
    summary = None
    if uncertainty and (only is None or "uncertainty" in only):
        from accord.app.uncertainty import uncertainty_summary

        start = time.perf_counter()
        try:
            summary = uncertainty_summary(
                scenario, seed=seed, samples=uncertainty_samples, **overrides.get("uncertainty", {})
            )
        except Exception as exc:
            reason = expected_reason(exc)
            if reason is None:
                raise
            left_out["uncertainty"] = reason
        seconds["uncertainty"] = time.perf_counter() - start
    return RunResult(scenario, engines, left_out, seed, summary, seconds)
