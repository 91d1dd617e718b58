"""Building blocks shared by every part of the scenario model.

Scenario objects are frozen pydantic models (DESIGN.md §3): operations return new objects. Unknown
keys are errors (``extra="forbid"``). A numeric parameter is a :class:`Param`: a point value or a
distribution, optionally with the evidence behind it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_serializer,
    model_validator,
)

ID_PATTERN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
"""What an id looks like; match it with ``fullmatch`` (``match`` with ``$`` lets "a\\n" through)."""

MAX_ID_LENGTH = 64

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""C0 and C1 control characters (and DEL): never part of an id."""


def shown(value: str, limit: int = 40) -> str:
    """``value`` quoted for a message: control characters escaped, long text cut."""
    text = value if len(value) <= limit else value[:limit] + "..."
    return "'" + _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) + "'"


def strip_control(text: str, keep: str = "\n\t") -> str:
    """``text`` without C0/C1 control characters (ESC, OSC, NUL...) except those in ``keep``,
    for displaying user text (titles, names, quotes) on a terminal or in a figure."""
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else "", text)


def is_id(value: str) -> bool:
    return len(value) <= MAX_ID_LENGTH and ID_PATTERN.fullmatch(value) is not None


def _check_id(value: str) -> str:
    if is_id(value):
        return value
    if _CONTROL.search(value):
        raise ValueError(
            f"{shown(value)} is not a valid id: it contains a control character (a line break, "
            "tab or escape); remove it"
        )
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(
            f"{shown(value)} is not a valid id: it has {len(value):,} characters, at most "
            f"{MAX_ID_LENGTH} are allowed"
        )
    raise ValueError(
        f"{shown(value)} is not a valid id: use short kebab-case (letters, digits and single "
        "hyphens, for example 'sanctions-relief', 'USA' or 'A01')"
    )


def duplicate_ids(ids: Iterable[str]) -> list[str]:
    """Ids that repeat an earlier one, compared without regard to case (``USA`` and ``usa``)."""
    seen: set[str] = set()
    out: list[str] = []
    for i in ids:
        key = i.casefold()
        if key in seen:
            out.append(i)
        seen.add(key)
    return out


Id = Annotated[str, AfterValidator(_check_id)]
"""A short kebab-case identifier (``sanctions-relief``, ``USA``); unique without regard to case."""


class FrozenModel(BaseModel):
    """Base of every scenario model: immutable, unknown keys rejected."""

    # allow_inf_nan=False: "NaN", "inf" and 1e400 are refused in every float field (issue 19).
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


class Evidence(FrozenModel):
    """Where a number comes from: a source id, a short quote from it, and the analyst's note."""

    source: Id
    quote: str = ""
    note: str = ""


class DistKind(StrEnum):
    """Closed vocabulary of distributions a parameter may carry (DESIGN.md §3)."""

    normal = "normal"  # [mean, sd]
    truncnormal = "truncnormal"  # [mean, sd, lo, hi]
    uniform = "uniform"  # [lo, hi]
    triangular = "triangular"  # [lo, mode, hi]
    beta = "beta"  # [a, b] on [0, 1], or [a, b, lo, hi]
    choice = "choice"  # [v1, v2, ...] equally likely, or [[v, p], ...]


_ARITY: dict[DistKind, tuple[int, ...]] = {
    DistKind.normal: (2,),
    DistKind.truncnormal: (4,),
    DistKind.uniform: (2,),
    DistKind.triangular: (3,),
    DistKind.beta: (2, 4),
}


class Distribution(FrozenModel):
    """A probability distribution over one number; ``point`` is its point estimate.

    Point estimates: normal and truncated normal → mean (clipped to the bounds); uniform → midpoint;
    triangular → mode; beta → mean; choice → the most probable value (the first on ties).
    """

    kind: DistKind
    args: tuple[float, ...]
    weights: tuple[float, ...] | None = None

    @model_validator(mode="after")
    def _check(self) -> Distribution:
        a = self.args
        if not all(math.isfinite(x) for x in a):
            raise ValueError(f"{self.kind.value}: every argument must be a finite number")
        if self.kind is DistKind.choice:
            if not a:
                raise ValueError("choice: give at least one value")
            if self.weights is not None:
                w = self.weights
                if len(w) != len(a) or any(not (math.isfinite(x) and x >= 0) for x in w):
                    raise ValueError("choice: give one finite, non-negative probability per value")
                total = sum(w)
                if not math.isfinite(total):
                    raise ValueError("choice: the probabilities' sum overflows; scale them down")
                if total <= 0:
                    raise ValueError("choice: the probabilities must not all be zero")
            return self
        if len(a) not in _ARITY[self.kind]:
            raise ValueError(
                f"{self.kind.value} takes {' or '.join(map(str, _ARITY[self.kind]))} numbers, "
                f"got {len(a)}"
            )
        k = self.kind
        if not math.isfinite(max(a) - min(a)):
            raise ValueError(f"{k.value}: the arguments span more than a float can hold")
        if k in (DistKind.normal, DistKind.truncnormal) and a[1] <= 0:
            raise ValueError(f"{k.value}: the standard deviation must be positive")
        if k is DistKind.truncnormal and not a[2] < a[3]:
            raise ValueError("truncnormal: give [mean, sd, lo, hi] with lo < hi")
        if k is DistKind.uniform and not a[0] < a[1]:
            raise ValueError("uniform: give [lo, hi] with lo < hi")
        if k is DistKind.triangular and not (a[0] <= a[1] <= a[2] and a[0] < a[2]):
            raise ValueError("triangular: give [lo, mode, hi] with lo <= mode <= hi and lo < hi")
        if k is DistKind.beta:
            if a[0] <= 0 or a[1] <= 0:
                raise ValueError("beta: both shape parameters must be positive")
            if len(a) == 4 and not a[2] < a[3]:
                raise ValueError("beta: give [a, b, lo, hi] with lo < hi")
        return self

    @property
    def point(self) -> float:
        a = self.args
        match self.kind:
            case DistKind.normal:
                return a[0]
            case DistKind.truncnormal:
                return min(max(a[0], a[2]), a[3])
            case DistKind.uniform:
                return (a[0] + a[1]) / 2
            case DistKind.triangular:
                return a[1]
            case DistKind.beta:
                lo, hi = (a[2], a[3]) if len(a) == 4 else (0.0, 1.0)
                return lo + (hi - lo) * a[0] / (a[0] + a[1])
            case DistKind.choice:
                if self.weights is None:
                    return a[0]
                return a[max(range(len(a)), key=lambda i: (self.weights[i], -i))]  # type: ignore[index]
        raise AssertionError(self.kind)  # pragma: no cover

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest value the distribution can take (±inf for a normal)."""
        a = self.args
        match self.kind:
            case DistKind.normal:
                return (-math.inf, math.inf)
            case DistKind.truncnormal:
                return (a[2], a[3])
            case DistKind.uniform:
                return (a[0], a[1])
            case DistKind.triangular:
                return (a[0], a[2])
            case DistKind.beta:
                return (a[2], a[3]) if len(a) == 4 else (0.0, 1.0)
            case DistKind.choice:
                return (min(a), max(a))
        raise AssertionError(self.kind)  # pragma: no cover

    def to_yaml(self) -> dict[str, Any]:
        if self.kind is DistKind.choice and self.weights is not None:
            return {"choice": [[v, w] for v, w in zip(self.args, self.weights, strict=True)]}
        return {self.kind.value: list(self.args)}


_DIST_KEYS = {k.value for k in DistKind}


class Param(FrozenModel):
    """A numeric parameter: a point value or a distribution, with optional evidence.

    In a file it is written as a number (``0.4``), as ``{value: 0.4, evidence: [...]}``, as a
    distribution (``{triangular: [0.2, 0.4, 0.5]}``), or as a distribution with evidence and an
    optional explicit point value (``{triangular: [...], value: 0.35, evidence: [...]}``).
    """

    value: float | None = None
    dist: Distribution | None = None
    evidence: tuple[Evidence, ...] = ()
    edited: bool = False
    """True when a user changed the value away from what its evidence supports (the web app's
    sliders, ``accord.api`` what-ifs); every surface shows such a value as "edited"."""

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("expected a number or a distribution, got true/false")
        if isinstance(data, int | float):
            return {"value": float(data)}
        if isinstance(data, dict):
            keys = [k for k in data if k in _DIST_KEYS]
            if len(keys) > 1:
                raise ValueError(f"give one distribution, not {len(keys)}: {', '.join(keys)}")
            if keys:
                out = {k: v for k, v in data.items() if k not in _DIST_KEYS}
                kind = keys[0]
                raw = data[kind]
                if not isinstance(raw, list | tuple):
                    raise ValueError(f"{kind}: give a list of numbers, for example {kind}: [0, 1]")
                if kind == "choice" and raw and all(isinstance(x, list | tuple) for x in raw):
                    if not all(len(x) == 2 for x in raw):
                        raise ValueError("choice: give [[value, probability], ...]")
                    out["dist"] = {
                        "kind": kind,
                        "args": [x[0] for x in raw],
                        "weights": [x[1] for x in raw],
                    }
                else:
                    out["dist"] = {"kind": kind, "args": raw}
                return out
            if "dist" not in data and "value" not in data:
                raise ValueError(
                    "expected a number, {value: x, evidence: [...]}, or a distribution such as "
                    "{triangular: [lo, mode, hi]}, {normal: [mean, sd]} or {uniform: [lo, hi]}"
                )
            return data
        if isinstance(data, Param):
            return data
        raise ValueError(f"expected a number or a distribution, got {type(data).__name__}")

    @model_validator(mode="after")
    def _check(self) -> Param:
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError("the value must be a finite number")
        if self.value is None and self.dist is None:
            raise ValueError("give a value or a distribution")
        return self

    @model_serializer(mode="plain")
    def _serialize(self) -> Any:
        if self.dist is None and not self.evidence and not self.edited:
            return self.value
        out: dict[str, Any] = {}
        if self.dist is not None:
            out.update(self.dist.to_yaml())
        if self.value is not None:
            out["value"] = self.value
        if self.edited:
            out["edited"] = True
        if self.evidence:
            out["evidence"] = [e.model_dump(exclude_defaults=True) for e in self.evidence]
        return out

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        evidence = handler(Evidence.__pydantic_core_schema__)
        dist_props: dict[str, Any] = {k: {"type": "array"} for k in sorted(_DIST_KEYS)}
        return {
            "description": "A number, or {value: x, evidence: [...]}, or a distribution such as "
            "{triangular: [lo, mode, hi]} (optionally with value and evidence).",
            "anyOf": [
                {"type": "number"},
                {
                    "type": "object",
                    "properties": {
                        "value": {"type": "number"},
                        "evidence": {"type": "array", "items": evidence},
                        "edited": {"type": "boolean"},
                        **dist_props,
                    },
                    "additionalProperties": False,
                },
            ],
        }

    @property
    def point(self) -> float:
        """The number engines use unless a sweep samples the distribution."""
        if self.value is not None:
            return self.value
        assert self.dist is not None
        return self.dist.point

    @property
    def uncertain(self) -> bool:
        return self.dist is not None

    def with_value(self, value: float) -> Param:
        """A point-valued copy (evidence kept); what a sweep substitutes for one sample."""
        return Param(value=float(value), evidence=self.evidence, edited=self.edited)

    def check_within(self, lo: float, hi: float, what: str) -> Param:
        """Raise ValueError unless the point value and the whole support lie in [lo, hi]."""
        if not lo <= self.point <= hi:
            raise ValueError(f"{what} must lie in [{lo:g}, {hi:g}], got {self.point:g}")
        if self.dist is not None:
            s_lo, s_hi = self.dist.support
            if s_lo < lo or s_hi > hi:
                raise ValueError(
                    f"{what} must lie in [{lo:g}, {hi:g}], but its {self.dist.kind.value} "
                    f"distribution reaches [{s_lo:g}, {s_hi:g}]; use a truncnormal, beta or "
                    "narrower range"
                )
        return self


def param(x: float | Param) -> Param:
    """Coerce a float into a point-valued :class:`Param`."""
    return x if isinstance(x, Param) else Param(value=float(x))


EvidenceList = Annotated[tuple[Evidence, ...], Field(default=())]
