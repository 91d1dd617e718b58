"""Stakeholder forecasts over a ``stakeholders:`` section: per dimension, round by round.

Four models, each run on every dimension separately (Bueno de Mesquita's model is one-issue):

=============  ==========================================================================
``scholz``     expected-utility model as replicated by Scholz, Calbert & Smith (2011), quirks
               included (see :class:`accord.forecast.expected_utility.EUVariant`)
``bdm``        the published form (Bueno de Mesquita 1994): pair win probabilities sum to one,
               capitulation fires, each actor takes the offer that moves it least
``compromise`` capability × salience weighted mean (static)
``median``     weighted median voter (static)
=============  ==========================================================================

The expected-utility models play rounds until ``rounds`` is reached or no actor moves. Each
dimension reports two summaries of the final positions: ``forecast``, the capability × salience
weighted mean (the summary Scholz et al. 2011, Table 3, track), and ``prediction``, the weighted
median, which is Bueno de Mesquita's prediction: the position that beats every other in pairwise
votes weighted by capability × salience (in one dimension the weighted median is that Condorcet
winner; Black 1948). ``convergence`` says whether the trajectory settles (and after how many
rounds) or cycles (period and range), from up to ``CHECK_ROUNDS`` rounds played beyond the
requested ones if needed (:mod:`accord.forecast.convergence`).

Example:
    >>> import numpy as np
    >>> arrays = StakeholderArrays(
    ...     dimension="d", actors=("a", "b", "c"), capability=np.array([1.0, 1.0, 0.5]),
    ...     position=np.array([0.0, 100.0, 40.0]), salience=np.array([0.9, 0.5, 0.6]),
    ...     scale=(0.0, 100.0))
    >>> result = forecast_dimension(arrays, "compromise")
    >>> round(result.forecast, 2)  # (0·0.9 + 100·0.5 + 40·0.3) / 1.7
    36.47
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.budget import Progress, check_memory, refuse_over, resolve
from accord.errors import EngineInputError
from accord.forecast.central import batch_weighted_mean, weighted_mean, weighted_median
from accord.forecast.convergence import Convergence, detect, newest_repeat
from accord.forecast.expected_utility import OFFER_KINDS, VARIANTS, eu_round
from accord.scenario.stakeholders import Stakeholders

FloatArray = NDArray[np.float64]
MODELS = ("scholz", "bdm", "compromise", "median")
MAX_ROUNDS = 1000
CHECK_ROUNDS = 60
"""Rounds played (at least) to tell convergence from a cycle."""

MAX_WORK = 10_000_000_000
"""Most pair-vote cells a forecast may evaluate: the sum over dimensions of the rounds it may
play (``max(rounds, CHECK_ROUNDS) + 1``) times the cells of one round, n³ for ``scholz`` (the
vote tensor of n voters over n × n pairs) and n⁵ for ``bdm`` (its security risk re-solves the
votes with each actor at each of the n positions). About 1-3 minutes of one core; above it the
forecast is refused up front (fewer rounds, fewer actors, or the ``compromise``/``median``
model). 500 actors allow 80 ``scholz`` rounds; 40 actors allow ``bdm``'s 60."""

BYTES_PER_CELL = 24
"""Peak bytes per cell of one round's vote tensor (the tensor and two same-sized temporaries);
measured: about 17 bytes per n³ for ``scholz`` and per n⁴ for ``bdm``."""


ROUND_OVERHEAD_CELLS = 20_000.0
"""A round costs at least this many cells: the interpreter's fixed cost per round (records,
offers, convergence test) is about that of 20,000 cells, which is what a table of thousands of
small dimensions spends its time on."""


def round_cells(n_actors: int, model: str) -> float:
    """Pair-vote cells one round evaluates (see :data:`MAX_WORK`); 0 for the static models."""
    if model == "scholz":
        return max(float(n_actors) ** 3, ROUND_OVERHEAD_CELLS)
    if model == "bdm":
        return max(float(n_actors) ** 5, ROUND_OVERHEAD_CELLS)
    return 0.0


def peak_bytes(n_actors: int, model: str) -> float:
    """Estimated peak memory of one round: n³ (scholz) or n⁴ (bdm) cells of the vote tensor."""
    if model == "scholz":
        return BYTES_PER_CELL * float(n_actors) ** 3
    if model == "bdm":
        return BYTES_PER_CELL * float(n_actors) ** 4
    return 0.0


def rounds_played(rounds: int) -> int:
    """The most rounds a dimension may play (the requested ones, or enough to tell a cycle)."""
    return max(rounds, CHECK_ROUNDS) + 1


def check_size(sizes: list[int], model: str, rounds: int) -> float:
    """Refuse a forecast over :data:`MAX_WORK` or the memory budget; returns its work."""
    work = sum(round_cells(n, model) for n in sizes) * rounds_played(rounds)
    largest = max(sizes, default=0)
    refuse_over(
        work,
        MAX_WORK,
        f"the {model} forecast of {len(sizes)} dimension(s) with up to {largest} actors and up "
        f"to {rounds_played(rounds)} rounds: its work (pair-vote cells, accord.forecast.MAX_WORK)",
        "Give fewer rounds (--rounds), fewer actors or dimensions, or use the compromise or "
        "median model",
    )
    check_memory(
        peak_bytes(largest, model),
        f"one round of the {model} forecast with {largest} actors",
        "Merge minor actors or use the scholz, compromise or median model",
    )
    return work


def _accord_version() -> str:
    try:
        from importlib.metadata import version

        return version("accord")
    except Exception:  # not installed (running from a source tree)
        return "unknown"


@dataclass(frozen=True)
class StakeholderArrays:
    """One dimension's inputs as arrays (point values), actors in input order."""

    dimension: str
    actors: tuple[str, ...]
    capability: FloatArray
    position: FloatArray
    salience: FloatArray
    scale: tuple[float, float] = (0.0, 100.0)

    @property
    def weight(self) -> FloatArray:
        return np.asarray(self.capability * self.salience, dtype=np.float64)


def stakeholder_arrays(section: Stakeholders) -> list[StakeholderArrays]:
    """Point-value arrays per dimension; actors without a position on a dimension are left out."""
    out = []
    for dim in section.dimensions:
        involved = [a for a in section.actors if dim.id in a.positions]
        out.append(
            StakeholderArrays(
                dimension=dim.id,
                actors=tuple(a.id for a in involved),
                capability=np.array([a.capability.point for a in involved]),
                position=np.array([a.positions[dim.id].point for a in involved]),
                salience=np.array([a.salience[dim.id].point for a in involved]),
                scale=dim.scale,
            )
        )
    return out


@dataclass(frozen=True)
class Offer:
    """An offer an actor accepted: ``actor`` moved from ``before`` to ``after`` on ``sender``'s."""

    actor: str
    sender: str
    kind: str
    before: float
    after: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "sender": self.sender,
            "kind": self.kind,
            "from": self.before,
            "to": self.after,
        }


@dataclass(frozen=True)
class RoundRecord:
    """Positions after a round (round 0 is the input), their weighted mean and median."""

    round: int
    positions: tuple[float, ...]
    mean: float
    median: float
    risk: tuple[float, ...] | None = None
    offers: tuple[Offer, ...] = ()


@dataclass(frozen=True)
class DimensionForecast:
    """A model's forecast on one dimension, with the round-by-round record."""

    dimension: str
    model: str
    actors: tuple[str, ...]
    rounds: tuple[RoundRecord, ...]
    forecast: float
    converged: bool
    convergence: Convergence | None = None

    @property
    def prediction(self) -> float:
        """Weighted median of the final positions: the pairwise-vote (Condorcet) winner."""
        return self.rounds[-1].median

    def movers(self) -> list[str]:
        """Actors whose final position differs from their input position."""
        first, last = self.rounds[0].positions, self.rounds[-1].positions
        return [a for a, x0, x1 in zip(self.actors, first, last, strict=True) if x0 != x1]

    def to_dict(self) -> dict[str, Any]:
        rounds = []
        for rec in self.rounds:
            item: dict[str, Any] = {
                "round": rec.round,
                "positions": dict(zip(self.actors, rec.positions, strict=True)),
                "mean": rec.mean,
                "median": rec.median,
            }
            if rec.risk is not None:
                item["risk"] = dict(zip(self.actors, rec.risk, strict=True))
            if rec.round > 0:
                item["offers"] = [o.to_dict() for o in rec.offers]
            rounds.append(item)
        return {
            "rounds": rounds,
            "forecast": self.forecast,
            "median": self.rounds[-1].median,
            "converged": self.converged,
            "movers": self.movers(),
            "prediction": self.prediction,
            "convergence": None if self.convergence is None else self.convergence.to_dict(),
        }


@dataclass(frozen=True)
class ForecastResult:
    """Forecasts of one model for every dimension of a stakeholders section."""

    model: str
    rounds_limit: int
    dimensions: tuple[DimensionForecast, ...]
    accord_version: str = field(default_factory=_accord_version)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "rounds_limit": self.rounds_limit,
            "accord_version": self.accord_version,
            "dimensions": {d.dimension: d.to_dict() for d in self.dimensions},
        }


def _check_model(model: str, rounds: int) -> None:
    if model not in MODELS:
        raise EngineInputError(f"unknown forecast model '{model}'; use one of: {', '.join(MODELS)}")
    if not 0 <= rounds <= MAX_ROUNDS:
        raise EngineInputError(f"rounds must be between 0 and {MAX_ROUNDS}, got {rounds}")


def forecast_dimension(
    arrays: StakeholderArrays,
    model: str,
    rounds: int = 10,
    progress: Progress | None = None,
    *,
    _offset: float = 0.0,
    _total: float | None = None,
) -> DimensionForecast:
    """Forecast one dimension with ``model`` (see the module docstring).

    Refuses up front above :data:`MAX_WORK` or the memory budget. ``progress(done, total)`` is
    told after every round, in pair-vote cells (:mod:`accord.budget`).
    """
    _check_model(model, rounds)
    report = resolve(progress)
    if _total is None:
        _total = check_size([len(arrays.actors)], model, rounds)
    cells = round_cells(len(arrays.actors), model)
    weight = arrays.weight
    if weight.sum() <= 0:
        raise EngineInputError(
            f"dimension '{arrays.dimension}': every actor's capability × salience is 0; give at "
            "least one actor a positive salience"
        )
    x = np.asarray(arrays.position, dtype=np.float64)
    start = RoundRecord(
        0, tuple(map(float, x)), weighted_mean(x, weight), weighted_median(x, weight)
    )
    if model in ("compromise", "median"):
        value = start.mean if model == "compromise" else start.median
        return DimensionForecast(arrays.dimension, model, arrays.actors, (start,), value, True)

    variant = VARIANTS[model]
    span = float(x.max() - x.min())
    records = [start]
    converged = span == 0
    c, s = arrays.capability[None, :], arrays.salience[None, :]
    trajectory = [x.copy()]
    means, medians = [start.mean], [start.median]
    prior: FloatArray | None = None
    status: Convergence | None = Convergence("converged", 0, rounds=0) if converged else None
    for t in range(1, max(rounds, CHECK_ROUNDS) + 1):
        if status is not None and t > rounds:
            break
        if converged:
            break
        step = eu_round(x[None, :], c, s, np.array([span]), variant, prior)
        if report is not None:
            report(int(_offset + t * cells), int(max(_total, 1.0)))
        prior = step.risk
        new_x = step.positions[0]
        mean, median = weighted_mean(new_x, weight), weighted_median(new_x, weight)
        if t <= rounds:
            offers = tuple(
                Offer(
                    actor=arrays.actors[i],
                    sender=arrays.actors[int(step.offer_from[0, i])],
                    kind=OFFER_KINDS[int(step.offer_kind[0, i])],
                    before=float(x[i]),
                    after=float(new_x[i]),
                )
                for i in range(len(x))
                if step.offer_kind[0, i] != 0
            )
            records.append(
                RoundRecord(
                    t,
                    tuple(map(float, new_x)),
                    mean,
                    median,
                    tuple(map(float, step.risk[0])),
                    offers,
                )
            )
        converged = bool(np.all(new_x == x))
        x = new_x
        trajectory.append(new_x.copy())
        means.append(mean)
        medians.append(median)
        if status is None and newest_repeat(trajectory, span) is not None:
            status = detect(trajectory, means, medians)
    if status is None:
        status = detect(trajectory, means, medians)
    converged = converged or (status.status == "converged" and (status.rounds or 0) < rounds)
    return DimensionForecast(
        arrays.dimension,
        model,
        arrays.actors,
        tuple(records),
        records[-1].mean,
        converged,
        status,
    )


def forecast(
    section: Stakeholders,
    model: str = "scholz",
    rounds: int = 10,
    progress: Progress | None = None,
) -> ForecastResult:
    """Forecast every dimension of a ``stakeholders`` section with one model.

    Refuses before the first round when the whole forecast is over :data:`MAX_WORK` or one round
    over the memory budget; ``progress(done, total)`` counts pair-vote cells over all dimensions.
    """
    _check_model(model, rounds)
    sizes = [sum(1 for a in section.actors if d.id in a.positions) for d in section.dimensions]
    total = check_size(sizes, model, rounds)
    report = resolve(progress)
    dims = []
    offset = 0.0
    for a in stakeholder_arrays(section):
        dims.append(forecast_dimension(a, model, rounds, report, _offset=offset, _total=total))
        offset += round_cells(len(a.actors), model) * rounds_played(rounds)
        if report is not None:
            report(int(offset), int(max(total, 1.0)))
    return ForecastResult(model=model, rounds_limit=rounds, dimensions=tuple(dims))


@dataclass(frozen=True)
class MonteCarloForecast:
    """Distribution of the expected-utility forecast when the inputs are perturbed."""

    dimension: str
    model: str
    runs: int
    rounds: int
    seed: int
    forecasts: FloatArray
    accord_version: str = field(default_factory=_accord_version)

    def to_dict(self) -> dict[str, Any]:
        q = np.quantile(self.forecasts, [0.05, 0.5, 0.95])
        return {
            "dimension": self.dimension,
            "model": self.model,
            "runs": self.runs,
            "rounds": self.rounds,
            "seed": self.seed,
            "accord_version": self.accord_version,
            "mean": float(self.forecasts.mean()),
            "q05": float(q[0]),
            "median": float(q[1]),
            "q95": float(q[2]),
        }


def perturbed_inputs(
    arrays: StakeholderArrays, runs: int, seed: int, noise: float = 0.1
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(B, n) capability, position and salience arrays, each run with its own random stream.

    Capability is scaled by a log-normal factor (σ = ``noise``), positions shift by a normal error
    of ``noise`` × the scale's width, salience by a normal error of ``noise``; positions and
    salience are clipped to their ranges. Run ``b`` uses ``SeedSequence(seed).spawn(runs)[b]``, so
    a run's inputs do not depend on how many runs are drawn with it.
    """
    if runs < 1:
        raise EngineInputError(f"runs must be at least 1, got {runs}")
    lo, hi = arrays.scale
    n = len(arrays.actors)
    cap = np.empty((runs, n))
    pos = np.empty((runs, n))
    sal = np.empty((runs, n))
    for b, child in enumerate(np.random.SeedSequence(seed).spawn(runs)):
        rng = np.random.default_rng(child)
        noise_draws = rng.standard_normal((3, n)) * noise
        cap[b] = arrays.capability * np.exp(noise_draws[0])
        pos[b] = np.clip(arrays.position + noise_draws[1] * (hi - lo), lo, hi)
        sal[b] = np.clip(arrays.salience + noise_draws[2], 0.0, 1.0)
    return cap, pos, sal


def monte_carlo_forecast(
    arrays: StakeholderArrays,
    runs: int,
    seed: int,
    model: str = "scholz",
    rounds: int = 10,
    noise: float = 0.1,
    chunk: int = 2000,
) -> MonteCarloForecast:
    """Run the expected-utility model on ``runs`` perturbed copies of the inputs at once.

    The batch is processed ``chunk`` runs at a time (memory grows as chunk × n³); results do not
    depend on the chunk size. Each run's range is fixed at its own start.
    """
    if model not in VARIANTS:
        raise EngineInputError(
            f"Monte Carlo needs an expected-utility model: {', '.join(VARIANTS)}"
        )
    _check_model(model, rounds)
    n = len(arrays.actors)
    chunk = max(1, min(chunk, int(2e7 // max(n**3, 1)), runs))
    refuse_over(
        float(n) ** (3 if model == "scholz" else 5) * runs * rounds,  # batched: no per-round floor
        MAX_WORK,
        f"the {model} Monte Carlo forecast of {runs:,} runs × {rounds} rounds × {n} actors: its "
        "work (pair-vote cells, accord.forecast.MAX_WORK)",
        "Give fewer runs or rounds, or use the scholz model",
    )
    check_memory(
        chunk * peak_bytes(n, model),
        f"a batch of {chunk:,} {model} forecast runs with {n} actors",
        "Merge minor actors or use the scholz model",
    )
    cap, pos, sal = perturbed_inputs(arrays, runs, seed, noise)
    out = np.empty(runs)
    for start in range(0, runs, chunk):
        sl = slice(start, start + chunk)
        x, c, s = pos[sl], cap[sl], sal[sl]
        span = x.max(axis=1) - x.min(axis=1)
        span = np.where(span > 0, span, 1.0)
        prior = None
        for _ in range(rounds):
            step = eu_round(x, c, s, span, VARIANTS[model], prior)
            x, prior = step.positions, step.risk
        weight = c * s
        total = weight.sum(axis=1)
        # A run whose perturbed saliences all hit 0 has no weighted mean; report the plain mean.
        safe = np.where(total[:, None] > 0, weight, 1.0)
        out[sl] = batch_weighted_mean(x, safe)
    return MonteCarloForecast(arrays.dimension, model, runs, rounds, seed, out)
