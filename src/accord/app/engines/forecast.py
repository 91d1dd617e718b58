"""Stakeholder forecasting as a registered engine (docs/architecture.md).

Runs the expected-utility model (Scholz, Calbert & Smith 2011 replication and the published
form ``bdm``; docs/models.md) on the scenario's ``stakeholders:`` section. Each dimension reports
the prediction (the capability × salience weighted median of the final positions, the position
that beats every other in pairwise votes) next to the weighted mean, and whether the positions
converge (after how many rounds) or cycle (period and range): see
:mod:`accord.forecast.convergence`. With ``compare`` the other expected-utility variant is run
too, so the briefing can say how far the two readings of the model are apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from accord.app.registry import Absent, EngineSettings, EngineSpec, Finding
from accord.errors import EngineInputError
from accord.scenario.model import Scenario


class ForecastSettings(EngineSettings):
    model: Literal["scholz", "bdm", "compromise", "median"] = Field(
        "scholz", description="the forecasting model"
    )
    rounds: int = Field(10, ge=0, le=1000, description="most rounds (expected-utility models)")
    compare: bool = Field(
        True, description="also run the other expected-utility variant (scholz / bdm)"
    )


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    settings: ForecastSettings


@dataclass(frozen=True)
class Forecast:
    scenario: Scenario
    result: Any
    model: str
    rounds: int
    other: Any = None  # the other expected-utility variant's ForecastResult, when compared
    other_refused: str | None = None  # why the comparison was not run (over a limit)

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.result.to_dict())
        if self.other is not None:
            out["compared_with"] = self.other.to_dict()
        return out


def prepare(scenario: Scenario, settings: ForecastSettings) -> Prepared:
    if scenario.stakeholders is None:
        raise Absent("the scenario has no 'stakeholders:' section")
    return Prepared(scenario, settings)


def run(p: Prepared, seed: int) -> Forecast:
    from accord.forecast import forecast

    assert p.scenario.stakeholders is not None
    result = forecast(p.scenario.stakeholders, p.settings.model, p.settings.rounds)
    other = None
    if p.settings.compare and p.settings.model in ("scholz", "bdm"):
        other_model = "bdm" if p.settings.model == "scholz" else "scholz"
        try:
            other = forecast(p.scenario.stakeholders, other_model, p.settings.rounds)
        except EngineInputError as exc:
            # The comparison is a second opinion: over its own limit (bdm grows as actors^5),
            # the forecast itself still stands and says why the comparison is missing.
            return Forecast(p.scenario, result, p.settings.model, p.settings.rounds, None, str(exc))
    return Forecast(p.scenario, result, p.settings.model, p.settings.rounds, other)


def headlines(r: Forecast) -> dict[str, float]:
    out = {f"forecast:{d.dimension}": float(d.forecast) for d in r.result.dimensions}
    for d in r.result.dimensions:
        out[f"prediction:{d.dimension}"] = float(d.prediction)
        conv = d.convergence
        out[f"settled:{d.dimension}"] = float(conv is not None and conv.status == "converged")
    return out


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.3e}"


def _mean_sentence(d: Any) -> str:
    """The weighted mean's behaviour in words, e.g. "oscillates between 39.6 and 39.8 ..."."""
    conv = d.convergence
    if conv is None:  # static models
        return f"is {_fmt(d.forecast)}"
    return conv.sentence(fmt=lambda v: f"{v:.1f}")


def findings(r: Forecast) -> list[Finding]:
    section = r.scenario.stakeholders
    assert section is not None
    names = {a.id: a.label for a in section.actors}
    out: list[Finding] = []
    others = {} if r.other is None else {d.dimension: d for d in r.other.dimensions}
    for d in r.result.dimensions:
        info = section.dimension(d.dimension)
        start = d.rounds[0]
        conv = d.convergence
        eu = conv is not None
        text = f"{info.label}: the {r.model} "
        if eu:
            text += (
                f"prediction (the weighted median, which wins every pairwise vote) is "
                f"{_fmt(d.prediction)}; the weighted mean {_mean_sentence(d)}"
            )
        else:
            text += f"forecast is {_fmt(d.forecast)}"
        text += (
            f". Opening positions: weighted mean {_fmt(start.mean)}, median voter "
            f"{_fmt(start.median)}."
        )
        out.append(
            Finding(
                "forecast.dimension",
                text,
                {"dimension": d.dimension, "forecast": float(d.forecast),
                 "prediction": float(d.prediction), "converged": bool(d.converged),
                 "convergence": None if conv is None else conv.to_dict(),
                 "start_mean": float(start.mean), "median_voter": float(start.median)},
            )
        )  # fmt: skip
        if conv is not None and conv.status != "converged":
            lo, hi = conv.mean_range or (d.forecast, d.forecast)
            out.append(
                Finding(
                    "forecast.unsettled",
                    f"{info.label}: the weighted mean at round {len(d.rounds) - 1} "
                    f"({_fmt(d.forecast)}) is one point of a trajectory that "
                    + (
                        f"cycles between {lo:.1f} and {hi:.1f}"
                        if conv.status == "cycle"
                        else f"is still moving (between {lo:.1f} and {hi:.1f} over its last "
                        "10 rounds)"
                    )
                    + f"; read the prediction ({_fmt(d.prediction)}) or the range, not a "
                    "single round.",
                    {"dimension": d.dimension, "status": conv.status, "period": conv.period,
                     "low": float(lo), "high": float(hi)},
                )
            )  # fmt: skip
        movers = d.movers()
        if movers:
            first, last = d.rounds[0].positions, d.rounds[-1].positions
            k = max(range(len(first)), key=lambda i: abs(last[i] - first[i]))
            out.append(
                Finding(
                    "forecast.movers",
                    f"{len(movers)} of {len(d.actors)} actors move on {info.label} "
                    f"({names.get(d.actors[k], d.actors[k])} furthest, {_fmt(first[k])} → "
                    f"{_fmt(last[k])}).",
                    {"dimension": d.dimension, "movers": list(movers)},
                )
            )
        other = others.get(d.dimension)
        if other is not None:
            out.append(
                Finding(
                    "forecast.variants",
                    f"{info.label}: the other reading of the model, {other.model}, predicts "
                    f"{_fmt(other.prediction)}, {_fmt(abs(other.prediction - d.prediction))} "
                    f"from this one; its weighted mean {_mean_sentence(other)}. docs/models.md "
                    "lists where the two readings differ.",
                    {"dimension": d.dimension, "model": other.model,
                     "prediction": float(other.prediction), "forecast": float(other.forecast),
                     "convergence": None if other.convergence is None
                     else other.convergence.to_dict()},
                )
            )  # fmt: skip
    if r.other_refused is not None:
        out.append(
            Finding(
                "forecast.variants",
                f"The other reading of the model was not run: {r.other_refused}",
                {"refused": r.other_refused},
            )
        )
    return out


SPEC = EngineSpec(
    key="forecast",
    title="Stakeholder forecast",
    sections=("stakeholders",),
    settings=ForecastSettings,
    prepare=prepare,
    run=run,
    headlines=headlines,
    findings=findings,
    description="where the decision lands, given who has a stake and power",
)
