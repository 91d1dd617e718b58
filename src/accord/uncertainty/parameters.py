"""Find a scenario's numeric parameters by field path, and substitute values for them.

A scenario is a tree of frozen pydantic models, dicts and tuples; every number that may be
uncertain is a :class:`accord.scenario.base.Param`. :func:`scenario_params` walks the tree and
returns each Param with its path (``("preferences", "usa", "reservation")``), a plain-language
label ("the United States' reservation value") and its plausible range. :func:`substitute` builds
the scenario of one sample: a new frozen object with point values at those paths (``model_copy``
along the path), then re-validated so that a sampled value the model forbids is reported with its
field rather than silently used.

Example::

    >>> from accord.io.scenario_file import load_scenario
    >>> s = load_scenario("hanoi-2019")
    >>> res = find_params(s, ["preferences.usa.reservation"])
    >>> res[0].label, (res[0].low, res[0].high)
    ("the United States' reservation value", (0.4, 0.6))
    >>> substitute(s, res, [0.3]).preferences["usa"].reservation.point
    0.3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from accord.errors import ScenarioError, format_path
from accord.scenario.base import Distribution, Param
from accord.scenario.model import Scenario, iter_instances
from accord.uncertainty.distributions import quantile

Path = tuple[str | int, ...]

LOW_QUANTILE = 0.05
HIGH_QUANTILE = 0.95
"""The plausible range of an unbounded distribution, and the tornado's low and high settings."""


@dataclass(frozen=True)
class UncertainParam:
    """One numeric parameter of a scenario: where it is, what it is, and its range.

    ``low``/``high`` is the plausible range searched by "what would it take": the distribution's
    support when it is bounded, else its 5%-95% quantiles; for a point value, the range its field
    allows (see :func:`_allowed_range`).
    """

    path: Path
    label: str
    point: float
    dist: Distribution | None
    low: float
    high: float

    @property
    def name(self) -> str:
        return format_path(self.path)


def describe(scenario: Scenario, path: Path) -> str:
    """A plain-language label for the parameter at ``path``: the same words the report's
    evidence appendix uses (:func:`accord.app.labels.field_label`)."""
    from accord.app.labels import field_label

    return field_label(scenario, tuple(path))


def _allowed_range(path: Path, point: float) -> tuple[float, float]:
    """The range a point-valued parameter may take, from the field's meaning."""
    last = path[2] if len(path) >= 3 and path[0] == "preferences" else None
    if last == "weights":
        # Weights are relative: half to twice the point spans "much less" to "much more".
        return (point / 2, point * 2) if point > 0 else (0.0, 1.0)
    if last in ("values", "reservation", "outside_option"):
        return (0.0, 1.0)
    if last == "discount":
        return (0.5, 1.0)
    return (point - abs(point) / 2, point + abs(point) / 2) if point else (-1.0, 1.0)


def _make(scenario: Scenario, path: Path, p: Param) -> UncertainParam:
    if p.dist is not None:
        s_lo, s_hi = p.dist.support
        lo = s_lo if s_lo > -float("inf") else quantile(p.dist, LOW_QUANTILE)
        hi = s_hi if s_hi < float("inf") else quantile(p.dist, HIGH_QUANTILE)
    else:
        lo, hi = _allowed_range(path, p.point)
    return UncertainParam(path, describe(scenario, path), p.point, p.dist, float(lo), float(hi))


def scenario_params(scenario: Scenario) -> tuple[UncertainParam, ...]:
    """Every numeric parameter of the scenario (point or distribution), in document order."""
    return tuple(_make(scenario, path, p) for path, p in iter_instances(scenario, Param))


def uncertain_params(scenario: Scenario) -> tuple[UncertainParam, ...]:
    """The parameters that carry a distribution: what a sweep samples."""
    return tuple(p for p in scenario_params(scenario) if p.dist is not None)


def find_params(scenario: Scenario, names: Sequence[str]) -> tuple[UncertainParam, ...]:
    """Parameters by dotted path (``preferences.usa.reservation``); unknown names are errors."""
    by_name = {p.name: p for p in scenario_params(scenario)}
    out = []
    for name in names:
        if name not in by_name:
            close = [n for n in by_name if name.split(".")[-1] in n][:5] or list(by_name)[:5]
            raise ScenarioError(
                f"no numeric parameter at '{name}'",
                field=name,
                hint=f"name a parameter by its dotted path, for example {', '.join(close)}",
            )
        out.append(by_name[name])
    return tuple(out)


def _replace(node: Any, path: Path, new: Any) -> Any:
    if not path:
        return new
    key, rest = path[0], path[1:]
    if isinstance(node, BaseModel):
        assert isinstance(key, str)
        return node.model_copy(update={key: _replace(getattr(node, key), rest, new)})
    if isinstance(node, dict):
        copy = dict(node)
        copy[key] = _replace(node[key], rest, new)
        return copy
    if isinstance(node, tuple):
        assert isinstance(key, int)
        items = list(node)
        items[key] = _replace(node[key], rest, new)
        return tuple(items)
    raise KeyError(format_path(path))  # pragma: no cover - paths come from iter_instances


def get_param(scenario: Scenario, path: Path) -> Param:
    node: Any = scenario
    for key in path:
        node = getattr(node, str(key)) if isinstance(node, BaseModel) else node[key]
    assert isinstance(node, Param)
    return node


def substitute(
    scenario: Scenario,
    params: Sequence[UncertainParam],
    values: Sequence[float],
    *,
    validate: bool = True,
) -> Scenario:
    """The scenario with each parameter replaced by a point value (evidence kept).

    With ``validate`` the result is re-validated from its serialised form, so the model's checks
    (ranges, weights not all zero, references) hold for every sample.
    """
    out: Any = scenario
    for p, v in zip(params, values, strict=True):
        out = _replace(out, p.path, get_param(scenario, p.path).with_value(float(v)))
    if not validate:
        return cast(Scenario, out)
    try:
        return Scenario.model_validate(out.model_dump())
    except (ValidationError, ScenarioError) as exc:
        settings = ", ".join(f"{p.name} = {v:g}" for p, v in zip(params, values, strict=True))
        raise ScenarioError(
            f"a sampled parameter set is not a valid scenario ({settings}): {exc}",
            hint="narrow the distributions so that every value they can take is allowed",
        ) from None
