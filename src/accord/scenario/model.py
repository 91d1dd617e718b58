"""The scenario model, version 1 (DESIGN.md §3a).

A scenario describes a negotiation: parties, issues and their options, each party's linear-additive
preferences and reservation value, named proposals, and optional sections for the other engines.
Every model is frozen and rejects unknown keys; cross-references are checked when the scenario is
built, and a broken one raises :class:`accord.errors.ScenarioError` naming the field.

Example::

    >>> from accord.scenario.model import Scenario
    >>> s = Scenario.model_validate({
    ...     "accord": 1, "id": "toy", "title": "Toy",
    ...     "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    ...     "issues": [{"id": "share", "range": [0, 1], "step": 0.5}],
    ...     "preferences": {
    ...         "a": {"weights": {"share": 1}, "values": {"share": "increasing"}},
    ...         "b": {"weights": {"share": 1}, "values": {"share": "decreasing"}}}})
    >>> s.issue("share").size
    3
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any, Literal, TypeVar

import numpy as np
from pydantic import Field, field_validator, model_validator

from accord.errors import ScenarioError
from accord.scenario.base import Evidence, FrozenModel, Id, Param, duplicate_ids
from accord.scenario.conflict import ConflictSection
from accord.scenario.domestic import DomesticSection
from accord.scenario.information import InformationSection
from accord.scenario.sequencing import Sequencing
from accord.scenario.signals import SignalsSection
from accord.scenario.simulation import SimulationSection
from accord.scenario.stakeholders import Stakeholders

T = TypeVar("T")

MAX_ISSUE_VALUES = 10_000_000
"""A numeric issue may hold at most this many grid points (range / step + 1)."""


MAX_URL_LENGTH = 2000
"""A source's ``url`` may hold at most this many characters (a common practical limit)."""


class Source(FrozenModel):
    """A document that evidence cites; ``file`` names its text for ``accord evidence``, and
    ``url`` (http or https only) says where to get that text when the file is missing."""

    id: Id
    title: str
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = Field(
        None,
        description="where to read the source: an http:// or https:// address",
        json_schema_extra={"maxLength": MAX_URL_LENGTH, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"},
    )
    file: str | None = None

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        """Accept only an absolute http(s) address with a host, no whitespace or control
        characters, at most ``MAX_URL_LENGTH`` characters: the url is printed on terminals and
        in reports, so ``javascript:`` or an escape sequence must never get that far."""
        if value is None:
            return None
        import unicodedata
        from urllib.parse import urlsplit

        from accord.scenario.base import shown

        if len(value) > MAX_URL_LENGTH:
            raise ValueError(
                f"the url has {len(value):,} characters, at most {MAX_URL_LENGTH:,} are allowed; "
                "give the address of the page, without tracking parameters"
            )
        if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value):
            raise ValueError(
                f"the url {shown(value, 80)} contains a control character (a line break, tab or "
                "escape); remove it"
            )
        hidden = [i for i, c in enumerate(value) if unicodedata.category(c) == "Cf"]
        if hidden:  # bidi overrides and zero-width characters make a url read as another
            raise ValueError(
                f"the url contains an invisible formatting character (U+{ord(value[hidden[0]]):04X}"
                f" at position {hidden[0] + 1}); retype the address"
            )
        if any(c.isspace() for c in value):
            raise ValueError(f"the url {shown(value, 80)} contains a space; write spaces as %20")
        try:
            parts = urlsplit(value)
        except ValueError as exc:  # for example an unclosed IPv6 bracket
            raise ValueError(f"the url {shown(value, 80)} is not a valid address ({exc})") from None
        if not value[:8].lower().startswith(("http://", "https://")):
            raise ValueError(
                f"the url {shown(value, 80)} is not a web address; give one that starts with "
                "https:// or http://"
            )
        if not parts.hostname:
            raise ValueError(f"the url {shown(value, 80)} names no host; give the full address")
        return value


class Party(FrozenModel):
    """A negotiating party."""

    id: Id
    name: str
    description: str | None = None
    at_table: bool = Field(
        True,
        description="false for a party that takes part (a broker, a patron) but does not bargain "
        "over the issues: it needs no preferences and is left out of the bargaining engines",
    )
    evidence: tuple[Evidence, ...] = ()


class Issue(FrozenModel):
    """An issue: numeric (``range`` and ``step``) or discrete (ordered ``options``)."""

    id: Id
    name: str | None = None
    description: str | None = None
    range: tuple[float, float] | None = None
    step: float | None = None
    options: tuple[Id, ...] | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if self.options is not None:
            if self.range is not None or self.step is not None:
                raise ValueError(
                    "an issue has either options (discrete) or range and step (numeric), not both"
                )
            if not self.options:
                raise ValueError("a discrete issue needs at least one option")
            dup = duplicate_ids(self.options)  # 'LOW' and 'low' are the same option
            if dup:
                raise ValueError(f"option ids must be unique; repeated: {', '.join(dup)}")
            options = set(self.options)  # a set: linear time for issues with many options
            unknown = [k for k in self.labels if k not in options]
            if unknown:
                raise ValueError(f"labels name options the issue lacks: {', '.join(unknown)}")
            return self
        if self.range is None or self.step is None:
            raise ValueError(
                "give a discrete issue its options (options: [a, b, c]) or a numeric issue its "
                "range and step (range: [0, 1], step: 0.1)"
            )
        lo, hi = self.range
        if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
            raise ValueError(f"range must be [low, high] with low < high, got [{lo:g}, {hi:g}]")
        if not math.isfinite(self.step) or self.step <= 0:
            raise ValueError(f"step must be a positive number, got {self.step:g}")
        span = (hi - lo) / self.step
        if not math.isfinite(span):
            raise ValueError(
                "range/step gives more values than a float can count; use a larger step"
            )
        count = math.floor(span + 1e-9) + 1
        if count > MAX_ISSUE_VALUES:
            raise ValueError(
                f"range/step gives {count:,} values, over the limit of {MAX_ISSUE_VALUES:,}; "
                "use a larger step"
            )
        return self

    @property
    def numeric(self) -> bool:
        return self.options is None

    @property
    def size(self) -> int:
        """Number of values the issue can take."""
        if self.options is not None:
            return len(self.options)
        assert self.range is not None and self.step is not None
        return math.floor((self.range[1] - self.range[0]) / self.step + 1e-9) + 1

    def grid(self) -> np.ndarray:
        """The numeric issue's values, ``lo, lo + step, ...`` up to ``hi`` (float64)."""
        assert self.range is not None and self.step is not None
        return self.range[0] + self.step * np.arange(self.size, dtype=np.float64)

    def label(self, option: str) -> str:
        return self.labels.get(option, option)


class PiecewiseLinear(FrozenModel):
    """A value function through the points ``[[x, u], ...]`` (x increasing, u in [0, 1]).

    Outside the first and last x the value stays at the end point's u.
    """

    points: tuple[tuple[float, float], ...]

    @field_validator("points")
    @classmethod
    def _check_points(cls, pts: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        if len(pts) < 2:
            raise ValueError("give at least two points [[x, u], [x, u]]")
        xs = [p[0] for p in pts]
        if any(b <= a for a, b in pairwise(xs)):
            raise ValueError("the points' x must be strictly increasing")
        if any(not 0.0 <= p[1] <= 1.0 for p in pts):
            raise ValueError("every point's utility u must lie in [0, 1]")
        return pts

    def __call__(self, x: np.ndarray) -> np.ndarray:
        xs = np.array([p[0] for p in self.points])
        us = np.array([p[1] for p in self.points])
        return np.interp(x, xs, us)


NumericValue = Literal["increasing", "decreasing"] | PiecewiseLinear
ValueFunction = NumericValue | dict[Id, Param]


class Preference(FrozenModel):
    """A party's linear-additive utility: weights (normalised by their sum) and per-issue values.

    ``reservation`` is the utility of no agreement; ``discount`` the per-round discount factor.
    """

    weights: dict[Id, Param]
    values: dict[Id, ValueFunction] = Field(default_factory=dict)
    reservation: Param = Field(default_factory=lambda: Param(value=0.0))
    discount: Param | None = None
    outside_option: Param | None = Field(
        default=None,
        description="utility in [0, 1] of walking away by choice (an option, not the threat "
        "point; Binmore, Shaked & Sutton 1989)",
    )
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Preference:
        for issue, w in self.weights.items():
            w.check_within(0.0, math.inf, f"the weight of '{issue}'")
        total = sum(w.point for w in self.weights.values())
        highest = sum(w.dist.support[1] if w.dist else w.point for w in self.weights.values())
        if not math.isfinite(highest):  # a sampled sum must not overflow either
            raise ValueError("the weights' sum overflows; scale them down (only ratios matter)")
        if self.weights and total <= 0:
            raise ValueError("the weights are all zero; give at least one issue a positive weight")
        for issue, vf in self.values.items():
            if isinstance(vf, dict):
                for option, v in vf.items():
                    v.check_within(0.0, 1.0, f"the value of '{issue}' option '{option}'")
        self.reservation.check_within(0.0, 1.0, "the reservation value")
        if self.discount is not None:
            self.discount.check_within(0.0, 1.0, "the discount factor")
            if self.discount.point <= 0:
                raise ValueError("the discount factor must lie in (0, 1]")
        if self.outside_option is not None:
            self.outside_option.check_within(
                0.0, 1.0, "the outside option (the utility of walking away by choice)"
            )
        return self

    def normalised_weights(self) -> dict[str, float]:
        total = sum(w.point for w in self.weights.values())
        return {k: w.point / total for k, w in self.weights.items()}


class Proposal(FrozenModel):
    """A named package: one option or value per issue."""

    id: Id
    name: str | None = None
    by: Id | None = None
    description: str | None = None
    outcome: dict[Id, str | float]
    evidence: tuple[Evidence, ...] = ()


def _dups(ids: Iterable[str]) -> list[str]:
    return duplicate_ids(ids)  # without regard to case: 'USA' and 'usa' collide


class Scenario(FrozenModel):
    """A negotiation scenario (format version 1). Only the sections an engine needs are required."""

    accord: Literal[1]
    id: Id
    title: str
    description: str | None = None
    sources: tuple[Source, ...] = ()
    parties: tuple[Party, ...] = ()
    issues: tuple[Issue, ...] = ()
    preferences: dict[Id, Preference] = Field(default_factory=dict)
    proposals: tuple[Proposal, ...] = ()
    conflict: ConflictSection | None = None
    stakeholders: Stakeholders | None = None
    sequencing: Sequencing | None = None
    simulation: SimulationSection | None = None
    signals: SignalsSection | None = None
    information: InformationSection | None = None
    domestic: DomesticSection = None
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        problems = list(reference_problems(self))
        if problems:
            path, message, hint = problems[0]
            more = (
                f" ({len(problems) - 1} more "
                f"problem{'' if len(problems) == 2 else 's'} of this kind.)"
                if len(problems) > 1
                else ""
            )
            raise ScenarioError(message + more, field=path, hint=hint)
        return self

    # --- lookups -------------------------------------------------------------------------
    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties at the table, in order: the ones the bargaining engines give utilities."""
        return tuple(p.id for p in self.parties if p.at_table)

    @property
    def all_party_ids(self) -> tuple[str, ...]:
        """Every party, including those not at the table (brokers, patrons)."""
        return tuple(p.id for p in self.parties)

    def party(self, party_id: str) -> Party:
        for p in self.parties:
            if p.id == party_id:
                return p
        raise KeyError(party_id)

    def issue(self, issue_id: str) -> Issue:
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def to_yaml_dict(self) -> dict[str, Any]:
        """A plain dict that writes back to an equivalent scenario file."""
        return self.model_dump(mode="json", exclude_defaults=True, by_alias=True)


Problem = tuple[tuple[str | int, ...], str, str]

SECTION_KEYS = ("conflict", "stakeholders", "sequencing", "simulation", "information", "signals")
"""Optional engine sections; each can say which of its fields name scenario parties."""


def reference_problems(s: Scenario) -> Iterable[Problem]:
    """Yield (field path, message, hint) for every reference that does not resolve."""
    for key, ids in (
        ("parties", [p.id for p in s.parties]),
        ("issues", [i.id for i in s.issues]),
        ("sources", [x.id for x in s.sources]),
        ("proposals", [p.id for p in s.proposals]),
    ):
        for d in _dups(ids):
            yield (
                (key,),
                f"the id '{d}' is used twice in {key} (ids are compared without regard to case)",
                "give every entry its own id",
            )
    party_ids = set(s.all_party_ids)
    issues = {i.id: i for i in s.issues}
    for pid, pref in s.preferences.items():
        base: tuple[str | int, ...] = ("preferences", pid)
        if pid not in party_ids:
            yield (
                base,
                f"preferences name the party '{pid}', which is not in parties",
                f"add a party with id '{pid}' or use one of: "
                + (", ".join(sorted(party_ids)) or "-"),
            )
        for iid in pref.weights:
            if iid not in issues:
                yield (*base, "weights", iid), f"'{iid}' is not an issue", _choose(iid, issues)
        for iid in issues:
            if iid not in pref.weights:
                yield (
                    (*base, "weights"),
                    f"no weight for the issue '{iid}'",
                    (f"add '{iid}: 0' if it does not matter to this party"),
                )
        for iid, vf in pref.values.items():
            if iid not in issues:
                yield (*base, "values", iid), f"'{iid}' is not an issue", _choose(iid, issues)
                continue
            yield from _value_problems((*base, "values", iid), issues[iid], vf)
        for iid, w in pref.weights.items():
            if iid in issues and w.point > 0 and iid not in pref.values:
                yield (
                    (*base, "values"),
                    f"no values for the issue '{iid}'",
                    (
                        "give its value function ('increasing', 'decreasing', {points: ...}) or a "
                        "value per option"
                    ),
                )
    for k, prop in enumerate(s.proposals):
        base = ("proposals", k)
        if prop.by is not None and prop.by not in party_ids:
            yield (*base, "by"), f"'{prop.by}' is not a party", "use one of the parties' ids"
        for iid, v in prop.outcome.items():
            if iid not in issues:
                yield (*base, "outcome", iid), f"'{iid}' is not an issue", _choose(iid, issues)
                continue
            issue = issues[iid]
            if issue.options is not None and v not in issue.options:
                yield (
                    (*base, "outcome", iid),
                    f"'{v}' is not an option of '{iid}'",
                    (f"use one of: {', '.join(issue.options)}"),
                )
            elif issue.numeric:
                if isinstance(v, str):
                    yield (*base, "outcome", iid), f"'{iid}' is numeric; got '{v}'", "give a number"
                elif issue.range and not issue.range[0] <= v <= issue.range[1]:
                    yield (
                        (*base, "outcome", iid),
                        f"{v:g} is outside the range of '{iid}'",
                        (f"give a number in [{issue.range[0]:g}, {issue.range[1]:g}]"),
                    )
        missing = [i for i in issues if i not in prop.outcome]
        if missing:
            yield (
                (*base, "outcome"),
                f"no value for the issue(s) {', '.join(missing)}",
                ("a proposal names an option or value for every issue"),
            )
    for key in SECTION_KEYS:
        section = getattr(s, key)
        if section is None or not party_ids:
            continue  # a section-only scenario names its own parties
        for path, pid in section.party_refs():
            if pid not in party_ids:
                yield (
                    (key, *path),
                    f"'{pid}' is not a party of this scenario",
                    (f"use one of: {', '.join(s.all_party_ids)}"),
                )
    if s.sequencing is not None:  # reversals that need stakeholders' consent (docs/models.md)
        actors = {a.id: a for a in s.stakeholders.actors} if s.stakeholders else {}
        for path, actor, dim in s.sequencing.stakeholder_refs():
            if actor not in actors:
                yield (
                    ("sequencing", *path),
                    f"'{actor}' is not an actor of the stakeholders section",
                    f"use one of: {', '.join(actors) or '- (add a stakeholders: section)'}",
                )
            elif dim not in actors[actor].positions:
                yield (
                    ("sequencing", *path),
                    f"the actor '{actor}' holds no position on the dimension '{dim}'",
                    f"use one of: {', '.join(actors[actor].positions)}",
                )
    source_ids = {x.id for x in s.sources}
    for path, ev in iter_instances(s, Evidence):
        if ev.source not in source_ids:
            yield (
                path,
                f"evidence cites the source '{ev.source}', which is not in sources",
                (f"add it to sources or use one of: {', '.join(sorted(source_ids)) or '-'}"),
            )


def _choose(name: str, options: Iterable[str]) -> str:
    return f"use one of: {', '.join(options)}"


def _value_problems(
    path: tuple[str | int, ...], issue: Issue, vf: ValueFunction
) -> Iterable[Problem]:
    if issue.options is not None:
        if not isinstance(vf, dict):
            yield (
                path,
                f"'{issue.id}' is discrete; it needs a value per option",
                ("write {option: value, ...} with values in [0, 1]"),
            )
            return
        known = set(issue.options)  # a set: linear time for issues with many options
        for o in vf:
            if o not in known:
                yield (
                    (*path, o),
                    f"'{o}' is not an option of '{issue.id}'",
                    (f"use the options: {', '.join(issue.options)}"),
                )
        missing = [o for o in issue.options if o not in vf]
        if missing:
            yield (
                path,
                f"no value for the option(s) {', '.join(missing)}",
                ("give every option a value in [0, 1]"),
            )
    elif isinstance(vf, dict):
        yield (
            path,
            f"'{issue.id}' is numeric; per-option values do not apply",
            ("use 'increasing', 'decreasing' or {points: [[x, u], ...]}"),
        )


def iter_instances(
    obj: Any, kind: type[T], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], T]]:
    """Every instance of ``kind`` inside a scenario (or any part of one), with its field path.

    Does not look inside a match, so ``iter_instances(s, Param)`` yields each parameter once.
    """
    if isinstance(obj, kind):
        yield path, obj
    elif isinstance(obj, FrozenModel):
        for name in type(obj).model_fields:
            yield from iter_instances(getattr(obj, name), kind, (*path, name))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from iter_instances(v, kind, (*path, str(k)))
    elif isinstance(obj, tuple | list):
        for i, v in enumerate(obj):
            yield from iter_instances(v, kind, (*path, i))


def iter_evidence(s: Scenario) -> list[tuple[tuple[str | int, ...], Evidence]]:
    """All evidence in the scenario, with the field path it sits on."""
    return list(iter_instances(s, Evidence))
