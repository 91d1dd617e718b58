"""What would it take: the smallest changes to named parameters that reach a target.

A target is a condition on one headline output of an engine (``any_proposal_in_zone >= 1``,
``agreement_rate >= 0.5``, ``no_deal_equilibrium <= 0``, ``schedule_exists >= 1``). Starting from
the point estimate, the search:

1. **one at a time**: for each candidate parameter, a grid of ``grid`` values over its plausible
   range (the distribution's support, or the range its field allows) on each side of the point;
   the grid value nearest the point that reaches the target is refined by bisection against its
   neighbour towards the point (``bisect_steps`` halvings), which finds the threshold exactly when
   the output is monotone between the two;
2. **pairs**: for pairs among the parameters with the most promising single searches, a
   ``pair_grid`` × ``pair_grid`` grid; a pair is kept only when it reaches the target with a
   smaller change than either of its parameters alone.

Size of a change = |Δ| / (range width), summed in quadrature over a pair's two parameters, so a
change across a tenth of the plausible range has size 0.1 whatever the units. The answer lists
the smallest changes first, each said in plain language ("the United States' reservation value
0.05 lower (0.50 → 0.45)"). This is a grid search, not an optimisation proof: a change smaller
than the grid spacing on a non-monotone output can be missed.

Example::

    >>> from accord.io.scenario_file import load_scenario
    >>> s = load_scenario("hanoi-2019")
    >>> t = Target("margin:us-position", ">=", 0.0, "the US position is acceptable to both")
    >>> r = what_would_it_take(s, "analyse", t, names=["preferences.dprk.reservation"])
    >>> r.changes[0].sentence()
    "the DPRK's reservation value 0.01 lower (0.5 → 0.49)"
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.scenario.model import Scenario
from accord.uncertainty.parameters import UncertainParam, find_params, scenario_params
from accord.uncertainty.registry import get_engine
from accord.uncertainty.sweep import evaluate_samples

OPS = (">=", "<=")


@dataclass(frozen=True)
class Target:
    """``output op threshold``, with a plain-language description."""

    output: str
    op: str
    threshold: float
    description: str = ""

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise AccordError(f"a target compares with >= or <=, got '{self.op}'")

    def reached(self, values: np.ndarray) -> np.ndarray:
        v = np.asarray(values, dtype=np.float64)
        ok = v >= self.threshold if self.op == ">=" else v <= self.threshold
        return ok & np.isfinite(v)

    @classmethod
    def parse(cls, text: str) -> Target:
        """``"agreement_rate>=0.5"`` → Target."""
        for op in OPS:
            if op in text:
                name, _, number = text.partition(op)
                try:
                    return cls(name.strip(), op, float(number), text.strip())
                except ValueError:
                    break
        raise AccordError(
            f"cannot read the target '{text}'; write OUTPUT>=NUMBER or OUTPUT<=NUMBER, "
            "for example deal_possible>=1 or agreement_rate>=0.5"
        )


@dataclass(frozen=True)
class Change:
    """A set of parameter changes that reaches the target, and its size."""

    params: tuple[str, ...]
    labels: tuple[str, ...]
    before: tuple[float, ...]
    after: tuple[float, ...]
    size: float

    def sentence(self) -> str:
        parts = []
        for label, b, a in zip(self.labels, self.before, self.after, strict=True):
            delta = a - b
            word = "higher" if delta > 0 else "lower"
            parts.append(f"{label} {abs(delta):.2g} {word} ({b:.3g} → {a:.3g})")
        return " and ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameters": list(self.params),
            "from": list(self.before),
            "to": list(self.after),
            "size": self.size,
            "sentence": self.sentence(),
        }


@dataclass(frozen=True)
class WhatItTakes:
    """The answer: whether the point estimate already reaches the target, and the changes."""

    target: Target
    engine: str
    baseline: float
    reached_at_point: bool
    changes: tuple[Change, ...]
    searched: tuple[str, ...]
    evaluations: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": f"{self.target.output} {self.target.op} {self.target.threshold:g}",
            "question": self.target.description,
            "engine": self.engine,
            "baseline": self.baseline,
            "reached_at_point": self.reached_at_point,
            "changes": [c.to_dict() for c in self.changes],
            "searched": list(self.searched),
            "evaluations": self.evaluations,
        }


def what_would_it_take(
    scenario: Scenario,
    engine: str,
    target: Target,
    *,
    names: Sequence[str] | None = None,
    options: Mapping[str, Any] | None = None,
    grid: int = 41,
    pair_grid: int = 15,
    pair_candidates: int = 8,
    bisect_steps: int = 30,
    top: int = 3,
) -> WhatItTakes:
    """Smallest one- and two-parameter changes that reach ``target`` (see the module doc)."""
    entry = get_engine(engine)
    if grid < 3 or pair_grid < 3:
        raise AccordError("the search grids need at least 3 points")
    if names:
        params = find_params(scenario, names)
    else:
        params = tuple(p for p in scenario_params(scenario) if entry.relevant(p) and p.high > p.low)
    if not params:
        raise AccordError(f"no parameters to change for the {engine} engine; name some")
    point = np.array([p.point for p in params], dtype=np.float64)
    width = np.array([p.high - p.low for p in params], dtype=np.float64)
    evaluations = 0

    def metric(rows: np.ndarray) -> np.ndarray:
        nonlocal evaluations
        evaluations += rows.shape[0]
        out = evaluate_samples(entry, scenario, params, rows, options=options)
        if target.output not in out:
            raise AccordError(
                f"the {engine} engine has no output '{target.output}'; it has: {', '.join(out)}"
            )
        return out[target.output]

    baseline = float(metric(point[None])[0])
    if target.reached(np.array([baseline]))[0]:
        return WhatItTakes(target, engine, baseline, True, (), tuple(p.name for p in params), 1)

    singles: list[Change] = []
    closest: list[tuple[float, int]] = []  # (how near the target got, param index)
    for i in range(len(params)):
        found, nearest = _single(params, i, point, width, metric, target, grid, bisect_steps)
        closest.append((nearest, i))
        if found is not None:
            singles.append(found)
    singles.sort(key=lambda c: c.size)

    # Pairs among the most promising parameters (nearest the target in the one-at-a-time search).
    ranked = [i for _, i in sorted(closest, key=lambda t: (-t[0], t[1]))][:pair_candidates]
    single_size = {c.params[0]: c.size for c in singles}
    pairs: list[Change] = []
    for i, j in itertools.combinations(sorted(ranked), 2):
        change = _pair(params, i, j, point, width, metric, target, pair_grid)
        if change is None:
            continue
        alone = min(
            single_size.get(params[i].name, np.inf), single_size.get(params[j].name, np.inf)
        )
        if change.size < alone:
            pairs.append(change)
    changes = sorted(singles + pairs, key=lambda c: (c.size, c.params))[:top]
    return WhatItTakes(
        target, engine, baseline, False, tuple(changes), tuple(p.name for p in params), evaluations
    )


def _single(
    params: Sequence[UncertainParam],
    i: int,
    point: np.ndarray,
    width: np.ndarray,
    metric: Any,
    target: Target,
    grid: int,
    bisect_steps: int,
) -> tuple[Change | None, float]:
    p = params[i]
    candidates = np.linspace(p.low, p.high, grid)
    candidates = candidates[candidates != p.point]
    rows = np.repeat(point[None], candidates.size, axis=0)
    rows[:, i] = candidates
    y = metric(rows)
    signed = y - target.threshold if target.op == ">=" else target.threshold - y
    nearest = float(np.nanmax(signed)) if np.isfinite(signed).any() else -np.inf
    ok = target.reached(y)
    if not ok.any():
        return None, nearest
    distance = np.abs(candidates - p.point)
    k = int(np.flatnonzero(ok)[np.argmin(distance[ok])])
    good = float(candidates[k])
    # The neighbour towards the point (or the point itself) fails; bisect between them.
    side = np.sign(good - p.point)
    inner = candidates[(np.sign(candidates - p.point) == side) & (distance < abs(good - p.point))]
    bad = float(inner[np.argmax(np.abs(inner - p.point))]) if inner.size else float(p.point)
    for _ in range(bisect_steps):
        mid = 0.5 * (good + bad)
        row = point.copy()
        row[i] = mid
        if target.reached(metric(row[None]))[0]:
            good = mid
        else:
            bad = mid
    size = abs(good - p.point) / width[i]
    return Change((p.name,), (p.label,), (p.point,), (good,), float(size)), nearest


def _pair(
    params: Sequence[UncertainParam],
    i: int,
    j: int,
    point: np.ndarray,
    width: np.ndarray,
    metric: Any,
    target: Target,
    pair_grid: int,
) -> Change | None:
    gi = np.linspace(params[i].low, params[i].high, pair_grid)
    gj = np.linspace(params[j].low, params[j].high, pair_grid)
    xi, xj = np.meshgrid(gi, gj, indexing="ij")
    rows = np.repeat(point[None], xi.size, axis=0)
    rows[:, i] = xi.ravel()
    rows[:, j] = xj.ravel()
    ok = target.reached(metric(rows))
    if not ok.any():
        return None
    size = np.hypot((rows[:, i] - point[i]) / width[i], (rows[:, j] - point[j]) / width[j])
    k = int(np.flatnonzero(ok)[np.argmin(size[ok])])
    pi, pj = params[i], params[j]
    return Change(
        (pi.name, pj.name), (pi.label, pj.label), (pi.point, pj.point),
        (float(rows[k, i]), float(rows[k, j])), float(size[k]),
    )  # fmt: skip
