"""One engine's answer, and how to compute it (docs/architecture.md, "The registry").

:func:`run_engine` resolves the settings (override, scenario, default), prepares, runs, and
collects the headlines and findings of one engine. It sits beside the registry, below the sweep
layer, so sweeps evaluate engines exactly as ``accord run`` does.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.app.registry import (
    EngineSpec,
    Finding,
    MissingExtra,
    ResolvedSettings,
    get_spec,
    resolve_settings,
)
from accord.scenario.model import Scenario

DEFAULT_SEED = 0


@dataclass(frozen=True)
class EngineResult:
    """One engine's answer: its raw result, settings (with sources), seed, headlines, findings."""

    key: str
    title: str
    result: Any
    settings: ResolvedSettings
    seed: int
    headlines: Mapping[str, float]
    findings: tuple[Finding, ...]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        raw = self.result.to_dict() if hasattr(self.result, "to_dict") else {}
        return {
            **raw,
            "settings": self.settings.to_dict(),
            "seed": self.seed,
            "headlines": dict(self.headlines),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_frame(self) -> Any:
        """The headline numbers as a pandas DataFrame (``name``, ``value``); needs pandas."""
        pd = pandas_module()
        return pd.DataFrame(
            {"name": list(self.headlines), "value": [float(v) for v in self.headlines.values()]}
        )

    def _repr_html_(self) -> str:
        return html_block(self.title, self.findings, self.headlines)


def pandas_module() -> Any:
    try:
        import pandas as pd
    except ModuleNotFoundError:
        raise MissingExtra("pandas", "DataFrames (pip install pandas)", "pandas") from None
    return pd


def html_block(title: str, findings: Sequence[Finding], headlines: Mapping[str, float]) -> str:
    from html import escape

    items = "".join(f"<li>{escape(f.text)}</li>" for f in findings)
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{v:.4g}</td></tr>" for k, v in headlines.items())
    return (
        f"<div><h4>{escape(title)}</h4><ul>{items}</ul>"
        f"<table><tr><th>headline</th><th>value</th></tr>{rows}</table></div>"
    )


def run_engine(
    spec: EngineSpec | str,
    scenario: Scenario,
    overrides: Mapping[str, Any] | None = None,
    seed: int = DEFAULT_SEED,
) -> EngineResult:
    """Resolve the settings, prepare, run, and collect headlines and findings of one engine."""
    if isinstance(spec, str):
        spec = get_spec(spec)
    start = time.perf_counter()
    settings = resolve_settings(spec, scenario, overrides)
    prepared = spec.prepare(scenario, settings.values)
    result = spec.run(prepared, seed)
    return EngineResult(
        key=spec.key,
        title=spec.title,
        result=result,
        settings=settings,
        seed=seed,
        headlines=spec.headlines(result),
        findings=tuple(spec.findings(result)),
        seconds=time.perf_counter() - start,
    )
