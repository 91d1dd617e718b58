"""The optional ``simulation:`` section: how simulated negotiations of the scenario are set up.

Example (YAML)::

    simulation:
      deadline: 60                 # rounds
      opener: usa                  # who proposes first (default: the first party)
      strategies:                  # default strategy per party (CLI --strategy overrides)
        usa: boulware:e=0.3
        dprk: hardliner
      outside_options:             # a "plan B" that appears or vanishes at a given round
        - party: dprk
          round: 20
          value: {value: 0.3, evidence: [{source: 38north-2019, quote: "...", note: "..."}]}
      sweep:                       # the grid `accord run` shows: Boulware exponents per party
        exponents: [0.1, 0.3, 1.0, 3.0]
      information: beliefs         # beliefs (default) | complete: what agents know of each other
      discounting: deals-and-walkaway   # (default) | deals-only: is walking away discounted?

``information: beliefs`` — the agents never see the other side's true utilities: they take its
issue weights as equal and its walk-away value from the scenario's ``information:`` section (the
point of each belief), or as unknown with a uniform prior (mean 0.5); ``complete`` gives every
agent the truth. ``discounting: deals-and-walkaway`` discounts walking away in round t like a deal
(δ^t·r, the GENIUS/ANAC convention); ``deals-only`` leaves walk-away values undiscounted. The
simulation engine documents both (``accord.simulation.setup``).

Strategy names and parameters are checked by the simulation engine when it runs (the scenario
model does not import engines); here only their form (``name`` or ``name:key=value,...``).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from accord.scenario.base import EvidenceList, FrozenModel, Id, Param

STRATEGY_SPEC = re.compile(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*(?::\s*[a-z_]+\s*=\s*[-+0-9.eE]+(?:\s*,\s*[a-z_]+\s*=\s*[-+0-9.eE]+)*)?$"
)


class OutsideOption(FrozenModel):
    """From round ``round`` (1-based) on, ``party`` can walk away to something worth ``value``."""

    party: Id
    round: int = Field(ge=1, le=100_000)
    value: Param
    note: str = ""

    @field_validator("value")
    @classmethod
    def _in_unit(cls, v: Param) -> Param:
        return v.check_within(0.0, 1.0, "an outside option's value (a utility)")


class SimulationSweep(FrozenModel):
    """The grid of time-dependent exponents (how hard each side holds out) to simulate."""

    exponents: tuple[float, ...] = (0.1, 0.2, 0.5, 1.0, 2.0)

    @field_validator("exponents")
    @classmethod
    def _positive(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not 1 <= len(v) <= 12:
            raise ValueError("give between 1 and 12 exponents, for example [0.1, 0.5, 1, 2]")
        if any(not 1e-3 <= e <= 100 for e in v):
            raise ValueError(
                "exponents must lie in [0.001, 100] (e < 1: Boulware, e > 1: conceder)"
            )
        return v


class SimulationSection(FrozenModel):
    """Defaults for ``accord simulate`` and the simulation findings of ``accord run``."""

    deadline: int = Field(100, ge=1, le=100_000, description="rounds before the talks end")
    opener: Id | None = None
    strategies: dict[Id, str] = Field(default_factory=dict)
    outside_options: tuple[OutsideOption, ...] = ()
    sweep: SimulationSweep = Field(default_factory=SimulationSweep)
    runs: int = Field(1000, ge=1, le=1_000_000, description="negotiations per strategy pair")
    information: Literal["beliefs", "complete"] = Field(
        "beliefs",
        description="beliefs: agents see only their beliefs about the others; complete: the truth",
    )
    discounting: Literal["deals-and-walkaway", "deals-only"] = Field(
        "deals-and-walkaway",
        description="deals-and-walkaway: walking away is discounted like a deal (GENIUS/ANAC); "
        "deals-only: walk-away values are not discounted",
    )
    evidence: EvidenceList

    @field_validator("strategies")
    @classmethod
    def _spec_form(cls, v: dict[str, str]) -> dict[str, str]:
        for party, spec in v.items():
            if not STRATEGY_SPEC.match(spec.strip()):
                raise ValueError(
                    f"strategy for '{party}' is '{spec}'; write a name or name:key=value,... "
                    "for example 'boulware:e=0.2' or 'hardliner'"
                )
        return v

    @model_validator(mode="after")
    def _unique_rounds(self) -> SimulationSection:
        seen: set[tuple[str, int]] = set()
        for k, opt in enumerate(self.outside_options):
            if (opt.party, opt.round) in seen:
                raise ValueError(
                    f"outside_options[{k}]: '{opt.party}' already has an outside option from "
                    f"round {opt.round}; keep one per party and round"
                )
            seen.add((opt.party, opt.round))
        return self

    def party_refs(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path inside the section, party id) pairs for the scenario to resolve."""
        refs: list[tuple[tuple[str | int, ...], str]] = []
        if self.opener is not None:
            refs.append((("opener",), self.opener))
        refs.extend((("strategies", pid), pid) for pid in self.strategies)
        refs.extend(
            (("outside_options", k, "party"), opt.party)
            for k, opt in enumerate(self.outside_options)
        )
        return refs
