"""Simulated negotiations: alternating-offers protocol, strategy registry, scalar and batch engines.

The engines work on arrays (:class:`NegotiationSetup`), independent of the scenario model;
:mod:`accord.simulation.scenario` builds a setup from a scenario.
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
