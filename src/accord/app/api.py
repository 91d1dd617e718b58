"""The Python API: one function per engine, each a thin call into the registry.

Every function takes a scenario (a :class:`~accord.scenario.model.Scenario`, a path, or a
built-in id such as ``"hanoi-2019"``) and keyword settings (the engine's typed settings; see
``accord engines`` and docs/api.md), and returns a typed result with ``to_dict()``,
``to_frame()`` (needs pandas) and a notebook display.

Example::

    >>> import accord
    >>> r = accord.analyse("divide-the-dollar")
    >>> r.headlines["deal_possible"]
    1.0
    >>> r.settings.sources["max_outcomes"]
    'default'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.app.run import EngineResult, RunResult, run_all, run_engine
from accord.scenario.model import Scenario

ScenarioRef = Scenario | str | Path


def as_scenario(ref: ScenarioRef) -> Scenario:
    if isinstance(ref, Scenario):
        return ref
    from accord.io.scenario_file import load_scenario

    return load_scenario(str(ref))


def run(ref: ScenarioRef, *, seed: int = 0, **overrides: dict[str, Any]) -> RunResult:
    """Every engine, once (``accord run``); ``overrides`` maps an engine key to its settings,
    e.g. ``accord.run("hanoi-2019", simulate={"deadline": 30})``."""
    return run_all(as_scenario(ref), overrides, seed=seed)


def engine(key: str, ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """One engine by key, with keyword settings."""
    return run_engine(key, as_scenario(ref), settings, seed)


def analyse(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Bargaining analysis (``accord analyse``)."""
    return engine("analyse", ref, seed=seed, **settings)


def simulate(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Alternating-offers simulation (``accord simulate``)."""
    return engine("simulate", ref, seed=seed, **settings)


def stability(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Graph-model stability (``accord stability``)."""
    return engine("stability", ref, seed=seed, **settings)


def forecast(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Stakeholder forecast (``accord forecast``)."""
    return engine("forecast", ref, seed=seed, **settings)


def sequence(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Self-enforcing sequencing (``accord sequence``)."""
    return engine("sequence", ref, seed=seed, **settings)


def information(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Bargaining under incomplete information (``accord information``)."""
    return engine("information", ref, seed=seed, **settings)


def signals(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Signalling games (``accord signals``)."""
    return engine("signals", ref, seed=seed, **settings)


def ratify(ref: ScenarioRef, *, seed: int = 0, **settings: Any) -> EngineResult:
    """Two-level games: domestic ratification (``accord ratify``)."""
    return engine("ratify", ref, seed=seed, **settings)


def sweep(
    ref: ScenarioRef,
    engine_key: str = "analyse",
    *,
    samples: int = 1000,
    seed: int = 0,
    sampler: str = "lhs",
    store: str | Path | None = None,
    **options: Any,
) -> Any:
    """Sample the scenario's uncertain parameters and run an engine on each (``accord sweep``);
    ``store`` defaults to a temporary folder."""
    import tempfile

    from accord.store import RunStore
    from accord.uncertainty import plan_sweep, run_sweep

    plan = plan_sweep(
        as_scenario(ref), engine_key, samples=samples, seed=seed, sampler=sampler, options=options
    )
    folder = Path(store) if store is not None else Path(tempfile.mkdtemp(prefix="accord-sweep-"))
    return run_sweep(plan, RunStore(folder), executor="serial")
