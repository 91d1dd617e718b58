"""Stakeholder forecasting: expected-utility (Bueno de Mesquita / Scholz), compromise and median.

See :mod:`accord.forecast.engine` for the models side by side and
:mod:`accord.forecast.expected_utility` for the expected-utility model itself.
"""

from accord.forecast.convergence import Convergence
from accord.forecast.engine import (
    MODELS,
    DimensionForecast,
    ForecastResult,
    MonteCarloForecast,
    StakeholderArrays,
    forecast,
    forecast_dimension,
    monte_carlo_forecast,
    perturbed_inputs,
    stakeholder_arrays,
)
from accord.forecast.expected_utility import BDM, SCHOLZ, EUVariant, eu_round, eu_rounds

__all__ = [
    "BDM",
    "MODELS",
    "SCHOLZ",
    "Convergence",
    "DimensionForecast",
    "EUVariant",
    "ForecastResult",
    "MonteCarloForecast",
    "StakeholderArrays",
    "eu_round",
    "eu_rounds",
    "forecast",
    "forecast_dimension",
    "monte_carlo_forecast",
    "perturbed_inputs",
    "stakeholder_arrays",
]
