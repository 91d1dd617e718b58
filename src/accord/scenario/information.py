"""The ``information:`` section: what each party believes about another's bottom line.

The engine is :mod:`accord.information` (issue 12, docs/ and the module docstring there). Each
belief is a distribution of the scenario format over the other party's reservation value (a
utility in [0, 1]); the responder's *true* reservation value stays in ``preferences``. The
proposer decides with its belief only.

Example (YAML)::

    information:
      beliefs:
        - holder: dprk
          about: usa
          reservation: {uniform: [0.35, 0.75]}
        - holder: usa
          about: dprk
          reservation: {triangular: [0.3, 0.5, 0.7]}
      protocol: ultimatum      # ultimatum | screening
      proposer: dprk
      rounds: 2                # screening: how many offers the proposer can make (1-20)
      working_level: 0.25      # share of each belief's spread left after working-level talks
      broker: rok              # optional: a party that learns both bottom lines
      rejected: dprk-offer     # optional: a proposal the responder turned down (what it signals)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_serializer, model_validator

from accord.scenario.base import (
    DistKind,
    Distribution,
    Evidence,
    EvidenceList,
    FrozenModel,
    Id,
    Param,
)

MAX_ROUNDS = 20
"""The most offers a screening proposer can make."""


class BeliefDistribution(FrozenModel):
    """A belief over a reservation value, written like a parameter (``{uniform: [lo, hi]}``).

    It is not a :class:`~accord.scenario.base.Param` on purpose: its spread *is* the belief, so an
    uncertainty sweep, which samples every ``Param`` that carries a distribution, must not turn it
    into one number. A plain number is a belief that is certain.
    """

    dist: Distribution
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, BeliefDistribution):
            return data
        if isinstance(data, dict) and "dist" in data and set(data) <= {"dist", "evidence"}:
            return data
        try:
            p = Param.model_validate(data)
        except ValidationError as exc:
            raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
        dist = p.dist
        if dist is None:
            dist = Distribution(kind=DistKind.choice, args=(p.point,))
        elif p.value is not None:
            raise ValueError("a belief is its distribution; drop the extra 'value'")
        return {"dist": dist, "evidence": p.evidence}

    @model_serializer(mode="plain")
    def _serialize(self) -> Any:
        d = self.dist
        if d.kind is DistKind.choice and len(d.args) == 1 and not self.evidence:
            return d.args[0]
        out: dict[str, Any] = dict(d.to_yaml())
        if self.evidence:
            out["evidence"] = [e.model_dump(exclude_defaults=True) for e in self.evidence]
        return out

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return Param.__get_pydantic_json_schema__(core_schema, handler)

    def to_param(self) -> Param:
        """The same distribution as a ``Param`` (what the engine reads)."""
        return Param(dist=self.dist, evidence=self.evidence)


class BeliefSpec(FrozenModel):
    """``holder``'s belief about the reservation value (bottom line) of ``about``."""

    holder: Id
    about: Id
    reservation: BeliefDistribution = Field(
        description="distribution of the other side's reservation value"
    )
    evidence: EvidenceList

    @model_validator(mode="after")
    def _check(self) -> BeliefSpec:
        if self.holder == self.about:
            raise ValueError(
                f"the belief of '{self.holder}' is about itself; a belief is held about another "
                "party's bottom line; use the other party's id under 'about'"
            )
        lo, hi = self.reservation.dist.support
        if not (lo >= 0.0 and hi <= 1.0):
            raise ValueError(
                f"the belief of '{self.holder}' about the reservation value of '{self.about}' "
                f"must lie in [0, 1], but it reaches [{lo:g}, {hi:g}]; give a distribution "
                "within [0, 1], such as uniform, triangular, beta or truncnormal: [m, sd, 0, 1]"
            )
        return self


class InformationSection(FrozenModel):
    """The ``information:`` section (see the module docstring for the meaning of each key)."""

    beliefs: tuple[BeliefSpec, ...]
    protocol: Literal["ultimatum", "screening"] = "ultimatum"
    proposer: Id
    responder: Id | None = Field(
        default=None, description="who answers; default: the party the proposer's belief is about"
    )
    rounds: int = Field(default=1, description="screening: offers the proposer can make (1-20)")
    working_level: Param = Field(
        default_factory=lambda: Param(value=0.25),
        description="share of each belief's spread around its mean left after working-level talks",
    )
    broker: Id | None = Field(default=None, description="a party that learns both bottom lines")
    rejected: Id | None = Field(
        default=None, description="a proposal (by the proposer) that the responder turned down"
    )
    grid: int = Field(default=200, description="points of the responder's type grid (screening)")
    evidence: EvidenceList

    @field_validator("rounds")
    @classmethod
    def _rounds(cls, v: int) -> int:
        if not 1 <= v <= MAX_ROUNDS:
            raise ValueError(
                f"rounds must be between 1 and {MAX_ROUNDS}, got {v}; give the number of offers "
                f"the proposer can make, for example rounds: 2"
            )
        return v

    @field_validator("working_level")
    @classmethod
    def _share(cls, v: Param) -> Param:
        lo, hi = v.dist.support if v.dist is not None else (v.point, v.point)
        if not (0.0 <= v.point <= 1.0 and lo >= 0.0 and hi <= 1.0):
            raise ValueError(
                f"working_level must lie in [0, 1], got {v.point:g} (range [{lo:g}, {hi:g}]); "
                "give the share of each belief's spread left after the talks: 0 means the "
                "bottom lines become known, 1 that the talks change nothing"
            )
        return v

    @field_validator("grid")
    @classmethod
    def _grid(cls, v: int) -> int:
        if not 10 <= v <= 5000:
            raise ValueError(f"grid must be between 10 and 5000 points, got {v}; use 200")
        return v

    @model_validator(mode="after")
    def _check(self) -> InformationSection:
        if not self.beliefs:
            raise ValueError("give at least one belief under beliefs (holder, about, reservation)")
        pairs = [(b.holder, b.about) for b in self.beliefs]
        dups = sorted({p for p in pairs if pairs.count(p) > 1})
        if dups:
            h, a = dups[0]
            raise ValueError(f"two beliefs of '{h}' about '{a}'; keep one")
        held = [b for b in self.beliefs if b.holder == self.proposer]
        if not held:
            raise ValueError(
                f"the proposer '{self.proposer}' holds no belief; add a belief with holder: "
                f"{self.proposer} about the responder's reservation value"
            )
        if self.responder is not None:
            if self.responder == self.proposer:
                raise ValueError("the responder must differ from the proposer")
            if not any(b.about == self.responder for b in held):
                raise ValueError(
                    f"the proposer '{self.proposer}' holds no belief about '{self.responder}'; "
                    "add one"
                )
        elif len(held) > 1:
            raise ValueError(
                f"the proposer '{self.proposer}' holds beliefs about several parties; name the "
                "one that answers under responder"
            )
        if self.broker is not None and self.broker in (self.proposer, self.responder_id):
            raise ValueError(
                f"the broker '{self.broker}' is one of the bargaining parties; a broker is a "
                "third party (for example one not at the table)"
            )
        return self

    @property
    def responder_id(self) -> str:
        if self.responder is not None:
            return self.responder
        return next(b.about for b in self.beliefs if b.holder == self.proposer)

    def belief(self, holder: str, about: str) -> BeliefSpec | None:
        for b in self.beliefs:
            if b.holder == holder and b.about == about:
                return b
        return None

    def party_refs(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path in this section, party id) pairs the scenario checks against its parties.

        The broker may be a party that is not at the table (``at_table: false``); the engine
        checks that proposer and responder are at the table.
        """
        refs: list[tuple[tuple[str | int, ...], str]] = [(("proposer",), self.proposer)]
        if self.responder is not None:
            refs.append((("responder",), self.responder))
        for k, b in enumerate(self.beliefs):
            refs.append((("beliefs", k, "holder"), b.holder))
            refs.append((("beliefs", k, "about"), b.about))
        if self.broker is not None:
            refs.append((("broker",), self.broker))
        return refs
