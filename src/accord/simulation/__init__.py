"""Simulated negotiations: alternating-offers protocol, strategy registry, scalar and batch engines.

The engines work on arrays (:class:`NegotiationSetup`), independent of the scenario model:

* :mod:`.setup` — the arrays of one negotiation, what each party knows (beliefs or complete
  information) and the discounting convention;
* :mod:`.registry` — strategy metadata, specs and entry points; :mod:`.strategies` — the scalar
  strategy classes and the built-in table; :mod:`.rubinstein` — the stationary fixed point;
* :mod:`.scalar` — the readable reference engine; :mod:`.batch` — its fast front ends, compiled
  in :mod:`.ranking` (outcome rankings) and :mod:`.kernel` (the protocol loop), with the
  stochastic strategies' draws from :mod:`.streams` (NumPy's per-run streams, compiled);
* :mod:`.tournament` — every strategy pair on one negotiation;
* :mod:`.from_scenario` — builds a setup from a scenario.
"""

from accord.simulation.batch import simulate_batch, simulate_batch_arrays
from accord.simulation.results import BatchResult, NegotiationTrace
from accord.simulation.scalar import negotiate, simulate_scalar
from accord.simulation.setup import NegotiationSetup, negotiation_draws
from accord.simulation.strategies import (
    REGISTRY,
    StrategyInfo,
    StrategySpec,
    parse_assignment,
    parse_strategy,
)

__all__ = [
    "REGISTRY",
    "BatchResult",
    "NegotiationSetup",
    "NegotiationTrace",
    "StrategyInfo",
    "StrategySpec",
    "negotiate",
    "negotiation_draws",
    "parse_assignment",
    "parse_strategy",
    "simulate_batch",
    "simulate_batch_arrays",
    "simulate_scalar",
]
