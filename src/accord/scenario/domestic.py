"""The ``domestic:`` section: who must ratify a deal at home (Putnam 1988, "Diplomacy and domestic
politics: the logic of two-level games", International Organization 42(3), pp. 427-460).

Each entry names a party at the table, the rule by which its ratifiers decide (``all``: every
ratifier must approve; ``majority``: more than half of the votes; ``{quota: q}``: at least the
share q of the votes, q in (0, 1]) and its ratifiers. A ratifier has linear-additive preferences
over the scenario's issues written exactly as a party's ``preferences`` (``weights``, ``values``)
and a ``reservation``: it approves a package worth at least that much to it. An issue a ratifier
gives no weight may be left out of its ``weights``. The engine is :mod:`accord.domestic`.

Example (YAML)::

    domestic:
      - party: usa
        rule: all
        ratifiers:
          - id: congress-critics
            name: Critics in Congress
            votes: 1
            weights: {denuclearisation: 0.6, sanctions-relief: 0.4}
            values:
              denuclearisation: {none: 0, yongbyon: 0.4, full-declaration: 1}
              sanctions-relief: {none: 1, all-un: 0}
            reservation: {triangular: [0.4, 0.5, 0.6]}

The section is checked against the scenario's parties and issues when the scenario is built (the
checks run in :func:`check_against_scenario`, attached to the ``domestic`` field); a broken entry
raises :class:`accord.errors.ScenarioError` naming the field and the fix.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from accord.errors import ScenarioError
from accord.scenario.base import EvidenceList, FrozenModel, Id, Param

MAX_RATIFIERS = 64
"""Upper bound on ratifiers per party (the exact ratification probability enumerates votes)."""


class Quota(FrozenModel):
    """A qualified-majority rule: the approving votes must reach ``quota`` of all votes."""

    quota: float = Field(description="share of the votes needed, in (0, 1]")

    @field_validator("quota")
    @classmethod
    def _check(cls, quota: float) -> float:
        if not (math.isfinite(quota) and 0.0 < quota <= 1.0):
            raise ValueError(
                f"quota must lie in (0, 1], got {quota:g}; write for example "
                "{quota: 0.6} for three fifths of the votes, or use 'all' or 'majority'"
            )
        return quota


Rule = Literal["all", "majority"] | Quota


class Ratifier(FrozenModel):
    """One domestic actor whose approval counts: preferences as in ``preferences``, a threshold."""

    id: Id
    name: str | None = None
    description: str | None = None
    votes: int = Field(default=1, description="how many votes this ratifier casts (>= 1)")
    weights: dict[Id, Param]
    values: dict[Id, Any] = Field(
        default_factory=dict,
        description="per issue: 'increasing', 'decreasing', {points: [[x, u], ...]} or a value "
        "per option, as in preferences",
    )
    reservation: Param = Field(
        default_factory=lambda: Param(value=0.0),
        description="approves a package worth at least this to it (utility in [0, 1])",
    )
    evidence: EvidenceList

    @model_validator(mode="before")
    @classmethod
    def _parse_preferences(cls, data: Any) -> Any:
        """Parse weights, values and reservation with the rules of a party's ``preferences``."""
        if not isinstance(data, dict):
            return data
        from accord.scenario.model import Preference  # model.py imports this module

        subset = {k: data[k] for k in ("weights", "values", "reservation") if k in data}
        if "weights" not in subset:
            return data  # pydantic reports the missing key
        try:
            pref = Preference.model_validate(subset)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"] if not str(p)[:1].isupper())
            msg = str(first["msg"]).removeprefix("Value error, ")
            raise ValueError(f"{where}: {msg}" if where else msg) from None
        return {**data, "values": dict(pref.values)}

    @model_validator(mode="after")
    def _check(self) -> Ratifier:
        if self.votes < 1:
            raise ValueError(f"votes must be a whole number of at least 1, got {self.votes}")
        return self

    def normalised_weights(self) -> dict[str, float]:
        total = sum(w.point for w in self.weights.values())
        return {k: w.point / total for k, w in self.weights.items()}


class DomesticSide(FrozenModel):
    """One party's ratification: its rule and its ratifiers."""

    party: Id
    rule: Rule = "all"
    ratifiers: tuple[Ratifier, ...]
    description: str | None = None
    evidence: EvidenceList

    @model_validator(mode="after")
    def _check(self) -> DomesticSide:
        if not self.ratifiers:
            raise ValueError("give at least one ratifier, or leave the party out of domestic")
        if len(self.ratifiers) > MAX_RATIFIERS:
            raise ValueError(
                f"at most {MAX_RATIFIERS} ratifiers per party, got {len(self.ratifiers)}"
            )
        dups = [i for i, c in Counter(r.id for r in self.ratifiers).items() if c > 1]
        if dups:
            raise ValueError(f"ratifier ids must be unique; repeated: {', '.join(dups)}")
        return self

    @property
    def rule_name(self) -> str:
        """``all``, ``majority`` or ``quota``."""
        return self.rule if isinstance(self.rule, str) else "quota"

    @property
    def quota(self) -> float | None:
        return self.rule.quota if isinstance(self.rule, Quota) else None


def check_against_scenario(
    sides: tuple[DomesticSide, ...] | None, info: ValidationInfo
) -> tuple[DomesticSide, ...] | None:
    """Check the section's parties and issues against the scenario (fields validated before it).

    Raises :class:`ScenarioError` with the field path; the loader adds the file and line.
    """
    if sides is None:
        return None
    from accord.scenario.model import _value_problems  # (see Ratifier)

    data = info.data
    parties = data.get("parties")
    issues = data.get("issues")
    seen: set[str] = set()
    for k, side in enumerate(sides):
        if side.party in seen:
            raise ScenarioError(
                f"the party '{side.party}' has two domestic entries",
                field=("domestic", k, "party"),
                hint="list each party's ratifiers in one entry",
            )
        seen.add(side.party)
        if parties:
            at_table = [p.id for p in parties if getattr(p, "at_table", True)]
            if side.party not in at_table:
                known = side.party in {p.id for p in parties}
                raise ScenarioError(
                    f"'{side.party}' is "
                    + ("not at the table" if known else "not a party of this scenario"),
                    field=("domestic", k, "party"),
                    hint=f"use one of: {', '.join(at_table)}",
                )
        if not issues:
            continue
        by_id = {i.id: i for i in issues}
        for j, rat in enumerate(side.ratifiers):
            base: tuple[str | int, ...] = ("domestic", k, "ratifiers", j)
            for iid in list(rat.weights) + list(rat.values):
                if iid not in by_id:
                    where = "weights" if iid in rat.weights else "values"
                    raise ScenarioError(
                        f"ratifier '{rat.id}' names '{iid}', which is not an issue",
                        field=(*base, where, iid),
                        hint=f"use one of: {', '.join(by_id)}",
                    )
            for iid, vf in rat.values.items():
                for path, message, hint in _value_problems((*base, "values", iid), by_id[iid], vf):
                    raise ScenarioError(message, field=path, hint=hint)
            for iid, w in rat.weights.items():
                if w.point > 0 and iid not in rat.values:
                    raise ScenarioError(
                        f"ratifier '{rat.id}' weighs '{iid}' but gives it no values",
                        field=(*base, "values"),
                        hint="give its value function ('increasing', 'decreasing', "
                        "{points: ...}) or a value per option, as in preferences",
                    )
    return sides


DomesticSection = Annotated[tuple[DomesticSide, ...] | None, AfterValidator(check_against_scenario)]
"""The type of ``Scenario.domestic``: the entries, checked against the scenario's parties and
issues."""
