"""The strategy registry: declarative metadata, validated specs, and third-party entry points.

A strategy is registered as a :class:`StrategyInfo` (its name, family, parameters with ranges,
what it observes, and which branch of the batch engine plays it); ``name:key=value,...`` texts
parse into validated :class:`StrategySpec` s. The built-in strategies are registered from one
table in :mod:`accord.simulation.strategies`. Third-party packages add strategies through the
entry-point group ``accord.strategies``; each entry point loads a :class:`StrategyInfo` (or a
strategy class with an ``info``). They are loaded lazily, the first time a name is not found
among the built-ins.

Example::

    >>> import accord.simulation  # registers the built-ins
    >>> spec = parse_strategy("boulware:e=0.1")
    >>> spec.name, dict(spec.params)
    ('boulware', {'e': 0.1, 'open': 1.0})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from accord.errors import EngineInputError

if TYPE_CHECKING:
    from accord.simulation.strategies import Strategy

# Kernel codes: which branch of the batch engine plays a built-in strategy.
KIND_TIME = 0
KIND_HARDLINER = 1
KIND_TIT_FOR_TAT = 2
KIND_GRIT = 3
KIND_RANDOM = 4
KIND_WORKING_LEVEL = 5
KIND_RUBINSTEIN = 6
N_KERNEL_PARAMS = 3

ENTRY_POINT_GROUP = "accord.strategies"


@dataclass(frozen=True)
class ParamSpec:
    """One numeric strategy parameter: its default and the closed range it must lie in."""

    name: str
    default: float
    lo: float
    hi: float
    help: str
    integer: bool = False


@dataclass(frozen=True)
class StrategyInfo:
    """Declarative metadata of a strategy (the module docstring says how it is used)."""

    name: str
    family: str  # time-dependent | behaviour-dependent | random | learning | equilibrium
    description: str
    factory: Callable[..., Strategy]
    params: tuple[ParamSpec, ...] = ()
    stochastic: bool = False
    observes: tuple[str, ...] = ("own-utility", "time")
    kernel: int | None = None  # batch-engine branch; None: scalar engine only
    in_tournament: bool = True
    requires: tuple[str, ...] = ()  # e.g. ("two-parties", "discounting")

    def param(self, name: str) -> ParamSpec:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise EngineInputError(
            f"strategy '{self.name}' has no parameter '{name}'; its parameters are: {known}"
        )

    def resolve(self, given: Mapping[str, float]) -> dict[str, float]:
        """The full parameter set: defaults overridden by ``given`` (range-checked)."""
        values = {p.name: p.default for p in self.params}
        for key, value in given.items():
            spec = self.param(key)
            if not spec.lo <= value <= spec.hi:
                raise EngineInputError(
                    f"strategy '{self.name}': {key}={value:g} is out of range; give a value in "
                    f"[{spec.lo:g}, {spec.hi:g}] ({spec.help})"
                )
            if spec.integer and value != int(value):
                raise EngineInputError(f"strategy '{self.name}': {key} must be a whole number")
            values[key] = float(value)
        return values

    def create(self, params: Mapping[str, float] | None = None) -> Strategy:
        return self.factory(self, self.resolve(params or {}))


@dataclass(frozen=True)
class StrategySpec:
    """A strategy name with its full, validated parameters (``boulware:e=0.2`` parsed)."""

    name: str
    params: tuple[tuple[str, float], ...] = ()

    @property
    def info(self) -> StrategyInfo:
        return REGISTRY.get(self.name)

    def create(self) -> Strategy:
        return self.info.create(dict(self.params))

    def __str__(self) -> str:
        defaults = {p.name: p.default for p in self.info.params}
        changed = [f"{k}={v:g}" for k, v in self.params if defaults.get(k) != v]
        return self.name + (":" + ",".join(changed) if changed else "")


def parse_strategy(text: str) -> StrategySpec:
    """Parse ``name`` or ``name:key=value,key=value`` into a validated :class:`StrategySpec`."""
    text = text.strip()
    name, _, rest = text.partition(":")
    info = REGISTRY.get(name.strip())
    given: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        if not eq:
            raise EngineInputError(
                f"strategy '{text}': write parameters as key=value, for example boulware:e=0.2"
            )
        try:
            given[key.strip()] = float(value)
        except ValueError:
            raise EngineInputError(
                f"strategy '{text}': {key.strip()} must be a number, got '{value}'"
            ) from None
    resolved = info.resolve(given)
    return StrategySpec(info.name, tuple(resolved.items()))


def parse_assignment(text: str, party_ids: Iterable[str]) -> tuple[str, StrategySpec]:
    """Parse ``party=strategy[:k=v,...]`` (the CLI's ``--strategy``)."""
    party, eq, spec = text.partition("=")
    ids = list(party_ids)
    if not eq or not spec:
        raise EngineInputError(
            f"--strategy '{text}': write PARTY=STRATEGY, for example {ids[0]}=boulware:e=0.2"
        )
    if party.strip() not in ids:
        raise EngineInputError(
            f"--strategy '{text}': no party '{party.strip()}'; use one of: {', '.join(ids)}"
        )
    return party.strip(), parse_strategy(spec)


class StrategyRegistry:
    """Name → :class:`StrategyInfo`; built-ins first, entry points loaded on first miss."""

    def __init__(self) -> None:
        self._infos: dict[str, StrategyInfo] = {}
        self._entry_points_loaded = False

    def register(self, info: StrategyInfo, *, replace: bool = False) -> None:
        if info.name in self._infos and not replace:
            raise ValueError(f"a strategy named '{info.name}' is already registered")
        self._infos[info.name] = info

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            obj = ep.load()
            info = getattr(obj, "info", obj)
            if not isinstance(info, StrategyInfo):
                raise EngineInputError(
                    f"entry point '{ep.name}' in '{ENTRY_POINT_GROUP}' must load a StrategyInfo"
                )
            if info.name not in self._infos:
                self._infos[info.name] = info

    def get(self, name: str) -> StrategyInfo:
        if name not in self._infos:
            self._load_entry_points()
        if name not in self._infos:
            raise EngineInputError(
                f"unknown strategy '{name}'; use one of: {', '.join(self.names())}"
            )
        return self._infos[name]

    def names(self, tournament_only: bool = False) -> list[str]:
        self._load_entry_points()
        return [n for n, i in self._infos.items() if i.in_tournament or not tournament_only]

    def infos(self) -> list[StrategyInfo]:
        self._load_entry_points()
        return list(self._infos.values())


REGISTRY = StrategyRegistry()


def describe_registry() -> list[dict[str, Any]]:
    """The registry as JSON-able rows (for ``accord simulate --list-strategies``)."""
    return [
        {
            "name": i.name,
            "family": i.family,
            "description": i.description,
            "stochastic": i.stochastic,
            "observes": list(i.observes),
            "params": {p.name: p.default for p in i.params},
            "batch": i.kernel is not None,
        }
        for i in REGISTRY.infos()
    ]
