"""The ``stakeholders:`` section: who has a stake in a decision, how strong, where they stand.

The inputs of Bueno de Mesquita's expected-utility model and of the compromise and median-voter
benchmarks (Bueno de Mesquita 1994, p. 78; Scholz, Calbert & Smith 2011, Table 1): for each
decision dimension a numeric scale (0-100 unless given), and for each actor a capability (any
positive scale), and per dimension a position on the scale and a salience in [0, 1]. Every number
is a :class:`~accord.scenario.base.Param` and may carry evidence or a distribution.

Example (YAML)::

    stakeholders:
      dimensions:
        - {id: sanctions-relief, name: Extent of sanctions relief, low: none, high: all lifted}
      actors:
        - id: usa
          party: usa
          capability: 100
          positions: {sanctions-relief: 20}
          salience: {sanctions-relief: 0.9}
        - {id: dprk, party: dprk, capability: 30, positions: {sanctions-relief: 90},
           salience: {sanctions-relief: 1.0}}
"""

from __future__ import annotations

import math

from pydantic import Field, model_validator

from accord.scenario.base import Evidence, FrozenModel, Id, Param, duplicate_ids

MAX_ACTORS = 500
"""Upper bound on actors: the expected-utility model holds O(n³) votes per round."""


class Dimension(FrozenModel):
    """One decision dimension: a numeric scale and what its two ends mean."""

    id: Id
    name: str | None = None
    scale: tuple[float, float] = (0.0, 100.0)
    low: str | None = Field(default=None, description="what the low end of the scale means")
    high: str | None = Field(default=None, description="what the high end of the scale means")
    description: str | None = None

    @model_validator(mode="after")
    def _check_scale(self) -> Dimension:
        lo, hi = self.scale
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi and math.isfinite(hi - lo)):
            raise ValueError(
                f"dimension '{self.id}': scale must be [low, high] with finite low < high, "
                f"got [{lo:g}, {hi:g}]"
            )
        return self

    @property
    def label(self) -> str:
        return self.name or self.id


class Actor(FrozenModel):
    """A stakeholder: capability, and per dimension a position and a salience.

    An actor may leave out a dimension it has no stake in; it then takes no part in that
    dimension's forecast. ``party`` optionally links the actor to a scenario party.
    """

    id: Id
    name: str | None = None
    party: Id | None = None
    capability: Param
    positions: dict[Id, Param]
    salience: dict[Id, Param]
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="after")
    def _check_actor(self) -> Actor:
        self.capability.check_within(0.0, math.inf, f"actor '{self.id}': capability")
        if self.capability.point <= 0:
            raise ValueError(
                f"actor '{self.id}': capability must be positive, got {self.capability.point:g}; "
                "remove the actor if it has no influence"
            )
        if set(self.positions) != set(self.salience):
            only_pos = sorted(set(self.positions) - set(self.salience))
            only_sal = sorted(set(self.salience) - set(self.positions))
            raise ValueError(
                f"actor '{self.id}': give a position and a salience for the same dimensions "
                f"(position only: {', '.join(only_pos) or '-'}; salience only: "
                f"{', '.join(only_sal) or '-'})"
            )
        for dim, sal in self.salience.items():
            sal.check_within(0.0, 1.0, f"actor '{self.id}': salience on '{dim}'")
        return self

    @property
    def label(self) -> str:
        return self.name or self.id


class Stakeholders(FrozenModel):
    """The ``stakeholders:`` section: dimensions and the actors positioned on them."""

    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    actors: tuple[Actor, ...] = Field(min_length=2)
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="after")
    def _check_section(self) -> Stakeholders:
        for what, ids in (
            ("dimensions", [d.id for d in self.dimensions]),
            ("actors", [a.id for a in self.actors]),
        ):
            dups = duplicate_ids(ids)  # without regard to case: 'USA' and 'usa' collide
            if dups:
                raise ValueError(f"{what}: the id '{dups[0]}' is used twice; give each its own id")
        caps = [a.capability for a in self.actors]
        if not math.isfinite(sum(c.dist.support[1] if c.dist else c.point for c in caps)):
            raise ValueError("actors: the sum of the capabilities overflows; scale them down")
        if len(self.actors) > MAX_ACTORS:
            raise ValueError(
                f"actors: {len(self.actors)} actors exceed the limit of {MAX_ACTORS}; merge minor "
                "actors into groups"
            )
        dims = {d.id: d for d in self.dimensions}
        for actor in self.actors:
            for dim_id, pos in actor.positions.items():
                if dim_id not in dims:
                    raise ValueError(
                        f"actor '{actor.id}': '{dim_id}' is not a dimension; use one of: "
                        f"{', '.join(dims)}"
                    )
                lo, hi = dims[dim_id].scale
                pos.check_within(lo, hi, f"actor '{actor.id}': position on '{dim_id}'")
        for dim in self.dimensions:
            involved = [a for a in self.actors if dim.id in a.positions]
            if len(involved) < 2:
                raise ValueError(
                    f"dimension '{dim.id}': {len(involved)} actor(s) hold a position on it; give "
                    "positions for at least two actors or remove the dimension"
                )
            if not any(a.salience[dim.id].point > 0 for a in involved):
                raise ValueError(
                    f"dimension '{dim.id}': every actor's salience is 0, so no one would act; give "
                    "at least one actor a positive salience"
                )
        return self

    def party_refs(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path inside this section, party id) for every actor linked to a party."""
        return [(("actors", k, "party"), a.party) for k, a in enumerate(self.actors) if a.party]

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)
