"""Negotiation strategies with declarative metadata, in a registry third parties can extend.

Every strategy answers two questions at its turn (alternating offers, see :mod:`.scalar`):

* **offer** — which outcome to propose. The agent sets an *aspiration* a (a utility level); among
  the outcomes worth at least a to it, it offers the one it predicts is best for the other parties
  (the smallest utility among them; ties go to the higher own utility, then the lower outcome
  number, so non-stochastic strategies need no random tie-breaks). When nothing reaches a, it
  offers its own best outcome.
* **accept** — the engine accepts an offer for the agent when it is worth at least its walk-away
  value and at least what the agent would offer at its next turn, both discounted ("AC_next",
  Baarslag et al. 2014, *Effective acceptance conditions in multilateral negotiation*).

Built-in strategies (parameters in brackets):

* ``time-dependent`` [e, open], with the presets ``boulware`` (e = 0.2), ``linear`` (e = 1) and
  ``conceder`` (e = 2): Faratin, Sierra & Jennings (1998), *Negotiation decision functions for
  autonomous agents*, §4.2.1. Aspiration a(t) = r + open·(u_max − r)·(1 − (t/T)^(1/e)), with t the
  rounds played (0 at the opening), T the deadline and r the current walk-away value; ``open = 1``
  gives the textbook u_max − (u_max − r)·(t/T)^(1/e).
* ``hardliner``: always demands its best outcome (the limit e → 0).
* ``tit-for-tat`` [step]: tit-for-tat in utility space (Faratin et al. 1998, §4.2.3,
  behaviour-dependent tactics; Axelrod 1984): opens ``step`` below its best and then concedes, in
  its own utility, exactly what the others have conceded to it since their first offers.
* ``grit`` [step, m]: Osgood's (1962) Graduated Reciprocation in Tension-reduction: announced
  unilateral steps of size ``step`` on each of its first ``m`` offers, whether or not they are
  reciprocated, plus reciprocation of the others' concessions as tit-for-tat.
* ``random``: offers a uniformly random outcome among those worth at least its walk-away value.
* ``working-level`` [e, open]: a delegated negotiator that concedes like ``time-dependent`` but
  does not assume it knows the others' preferences: it learns them from their offers with a
  frequency model (Baarslag, Hendrikx, Hindriks & Jonker 2016, *Learning about the opponent in
  automated bilateral negotiation*, §5.1: issues whose value stays put weigh more; values offered
  often are worth more) and proposes the package it predicts is best for both.
* ``rubinstein``: the stationary subgame-perfect strategy of Rubinstein (1982), *Perfect
  equilibrium in a bargaining model*, for two discounting parties, computed on the actual outcome
  space by iterating the stationarity conditions v_i = max{u_i : u_j ≥ δ_j v_j} to their fixed
  point: always offer the best outcome that leaves the other exactly its continuation value.

Third-party packages add strategies through the entry-point group ``accord.strategies``; each entry
point loads a :class:`StrategyInfo` (or a :class:`Strategy` subclass with an ``info``). They are
loaded lazily, the first time a name is not found among the built-ins.

Example::

    >>> spec = parse_strategy("boulware:e=0.1")
    >>> spec.name, dict(spec.params)
    ('boulware', {'e': 0.1, 'open': 1.0})
    >>> REGISTRY.get("grit").stochastic
    False
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import entry_points
from typing import Any, ClassVar

import numpy as np

from accord.errors import EngineInputError
from accord.simulation.setup import NegotiationSetup

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
    """Declarative metadata of a strategy (DESIGN.md §5)."""

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


# --------------------------------------------------------------------------------------------
# Scalar strategy classes (the readable reference the batch engine is tested against)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PartyView:
    """What a strategy sees of one negotiation: its index, the setup and its random draws."""

    index: int
    setup: NegotiationSetup
    draws: np.ndarray  # (deadline,) uniforms; used only by stochastic strategies

    @cached_property
    def own(self) -> np.ndarray:
        return np.ascontiguousarray(self.setup.utilities[:, self.index])

    @cached_property
    def u_max(self) -> float:
        return float(self.own.max())

    @cached_property
    def order(self) -> np.ndarray:
        """Outcomes by own utility, descending, ties by outcome number."""
        own = self.own
        return np.lexsort((np.arange(own.size), -own))

    @cached_property
    def others_min(self) -> np.ndarray:
        """The smallest utility among the other parties (the one an offer must win over)."""
        others = np.delete(self.setup.utilities, self.index, axis=1)
        return others.min(axis=1)


def choose_offer(own: np.ndarray, score: np.ndarray, aspiration: float) -> int:
    """Among outcomes with own utility >= aspiration, the highest ``score``.

    Ties go to the higher own utility, then the lower outcome number; if no outcome reaches the
    aspiration, the own best outcome (lowest number among equals).
    """
    candidates = np.flatnonzero(own >= aspiration)
    if candidates.size == 0:
        return int(np.argmax(own))
    best_score = score[candidates].max()
    tied = candidates[score[candidates] == best_score]
    top_own = own[tied].max()
    return int(tied[own[tied] == top_own][0])


@dataclass(eq=False)
class Strategy:
    """Base class: ``reset`` → (``observe`` | ``offer`` + ``proposed``)* per negotiation."""

    info: StrategyInfo
    params: dict[str, float]
    view: PartyView | None = field(default=None, init=False)
    kind_code: ClassVar[int | None] = None

    def reset(self, view: PartyView) -> None:
        """Start a new negotiation (clears every piece of learned state)."""
        self.view = view

    def observe(self, t: int, proposer: int, outcome: int) -> None:
        """Another party offered ``outcome`` in round ``t`` (0-based)."""

    def offer(self, t: int, reservation: float) -> int:
        """The outcome this agent would offer in round ``t`` given what it knows now (pure)."""
        raise NotImplementedError

    def proposed(self, t: int, outcome: int) -> None:
        """This agent offered ``outcome`` in round ``t``."""

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        """The numbers the batch engine's branch for this strategy needs."""
        return tuple(self.params.values())

    @property
    def _view(self) -> PartyView:
        if self.view is None:
            raise RuntimeError(f"strategy '{self.info.name}' used before reset()")
        return self.view


def time_dependent_aspiration(t: int, deadline: int, u_max: float, r: float, e: float, op: float):
    """Faratin et al. (1998) §4.2.1: r + open·(u_max − r)·(1 − (t/T)^(1/e)); r when r ≥ u_max."""
    if r >= u_max:
        return r
    return r + op * (u_max - r) * (1.0 - (t / deadline) ** (1.0 / e))


class TimeDependent(Strategy):
    def offer(self, t: int, reservation: float) -> int:
        v = self._view
        own = v.own
        a = time_dependent_aspiration(
            t,
            v.setup.deadline,
            v.u_max,
            reservation,
            self.params["e"],
            self.params["open"],
        )
        return choose_offer(own, v.others_min, a)

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        return (self.params["e"], self.params["open"])


class Hardliner(Strategy):
    def offer(self, t: int, reservation: float) -> int:
        v = self._view
        return choose_offer(v.own, v.others_min, v.u_max)


class Reciprocating(Strategy):
    """Tit-for-tat and GRIT: concede what the others conceded (in own utility) plus own steps."""

    def reset(self, view: PartyView) -> None:
        super().reset(view)
        p = view.setup.n_parties
        self.first_u = [float("nan")] * p  # own utility of each other party's first offer
        self.last_u = [float("nan")] * p
        self.my_offers = 0

    def observe(self, t: int, proposer: int, outcome: int) -> None:
        u = float(self._view.own[outcome])
        if self.first_u[proposer] != self.first_u[proposer]:  # NaN: first offer seen
            self.first_u[proposer] = u
        self.last_u[proposer] = u

    def others_concession(self) -> float:
        """The smallest concession any other party has made to me since its first offer."""
        me = self._view.index
        gains = [self.last_u[j] - self.first_u[j] for j in range(len(self.last_u)) if j != me]
        if any(g != g for g in gains):  # someone has not offered yet
            return 0.0
        return max(0.0, min(gains))

    def own_steps(self) -> float:
        raise NotImplementedError

    def offer(self, t: int, reservation: float) -> int:
        v = self._view
        a = max(reservation, v.u_max - self.own_steps() - self.others_concession())
        return choose_offer(v.own, v.others_min, a)

    def proposed(self, t: int, outcome: int) -> None:
        self.my_offers += 1


class TitForTat(Reciprocating):
    def own_steps(self) -> float:
        return self.params["step"]

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        return (self.params["step"],)


class Grit(Reciprocating):
    def own_steps(self) -> float:
        return self.params["step"] * min(self.my_offers, int(self.params["m"]))

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        return (self.params["step"], self.params["m"])


class RandomOffers(Strategy):
    def offer(self, t: int, reservation: float) -> int:
        v = self._view
        acceptable = int(np.count_nonzero(v.own >= reservation)) or 1
        position = min(int(v.draws[t] * acceptable), acceptable - 1)
        return int(v.order[position])


class WorkingLevel(Strategy):
    """Time-dependent concession; offers chosen by a learned frequency model of the others."""

    def reset(self, view: PartyView) -> None:
        super().reset(view)
        codes = view.setup.issue_codes
        n_issues = codes.shape[1]
        n_values = int(codes.max()) + 1 if codes.size else 1
        self.counts = np.zeros((n_issues, n_values))
        self.issue_weights = np.ones(n_issues)
        self.previous: np.ndarray | None = None

    def observe(self, t: int, proposer: int, outcome: int) -> None:
        codes = self._view.setup.issue_codes[outcome]
        for k, c in enumerate(codes):
            self.counts[k, c] += 1.0
            # An issue whose value the others keep fixed is one they care about.
            if self.previous is not None and self.previous[k] == c:
                self.issue_weights[k] += 1.0
        self.previous = codes.copy()

    def predicted_others(self) -> np.ndarray:
        codes = self._view.setup.issue_codes
        total = self.issue_weights.sum()
        predicted = np.zeros(codes.shape[0])
        for k in range(codes.shape[1]):
            most = self.counts[k].max()
            if most > 0:
                predicted += (self.issue_weights[k] / total) * (self.counts[k][codes[:, k]] / most)
        return predicted

    def offer(self, t: int, reservation: float) -> int:
        v = self._view
        own = v.own
        a = time_dependent_aspiration(
            t,
            v.setup.deadline,
            v.u_max,
            reservation,
            self.params["e"],
            self.params["open"],
        )
        return choose_offer(own, self.predicted_others(), a)

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        return (self.params["e"], self.params["open"])


def stationary_values(
    utilities: np.ndarray, discount: np.ndarray, max_iterations: int = 100_000
) -> tuple[float, float]:
    """Rubinstein's stationary continuation values (v_0, v_1) on a finite outcome set.

    Iterates v_0 ← max{u_0 : u_1 ≥ δ_1 v_1} with v_1 = max{u_1 : u_0 ≥ δ_0 v_0}, starting from the
    ideal points. The composite map is monotone, so the values fall to the largest fixed point in
    finitely many steps on a finite set. For a divisible pie it gives v_0 = (1 − δ_1)/(1 − δ_0 δ_1).
    """
    u0, u1 = utilities[:, 0], utilities[:, 1]
    d0, d1 = float(discount[0]), float(discount[1])
    v0 = float(u0.max())
    v1 = float(u1[u0 >= d0 * v0].max())
    for _ in range(max_iterations):
        new_v0 = float(u0[u1 >= d1 * v1].max())
        new_v1 = float(u1[u0 >= d0 * new_v0].max())
        if new_v0 == v0 and new_v1 == v1:
            break
        v0, v1 = new_v0, new_v1
    return v0, v1


def rubinstein_offer(utilities: np.ndarray, discount: np.ndarray, index: int) -> int:
    """The outcome party ``index`` offers: its best that leaves the other δ_j·v_j."""
    if utilities.shape[1] != 2:
        raise EngineInputError("the 'rubinstein' strategy needs exactly two parties")
    values = stationary_values(utilities, discount)
    other = 1 - index
    threshold = float(discount[other]) * values[other]
    own = utilities[:, index]
    # Leave the other at least its continuation value; the lowest score wins nothing here.
    score = np.where(utilities[:, other] >= threshold, own, -np.inf)
    best = score.max()
    return int(np.flatnonzero(score == best)[0])


class Rubinstein(Strategy):
    def reset(self, view: PartyView) -> None:
        super().reset(view)
        self.planned = rubinstein_offer(view.setup.utilities, view.setup.discount, view.index)

    def offer(self, t: int, reservation: float) -> int:
        return self.planned

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        return (float(rubinstein_offer(setup.utilities, setup.discount, index)),)


# --------------------------------------------------------------------------------------------
# Built-in registrations
# --------------------------------------------------------------------------------------------


def _time_params(e_default: float) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("e", e_default, 1e-3, 100.0, "concession exponent: <1 Boulware, 1 linear, >1"),
        ParamSpec("open", 1.0, 0.0, 1.0, "opening demand as a share of (best − walk-away)"),
    )


_OBSERVES_BEHAVIOUR = ("own-utility", "time", "others-offers", "others-utility")
_BUILTINS: list[StrategyInfo] = [
    StrategyInfo(
        "boulware",
        "time-dependent",
        "concedes late (e = 0.2)",
        TimeDependent,
        _time_params(0.2),
        kernel=KIND_TIME,
        observes=("own-utility", "time", "others-utility"),
    ),
    StrategyInfo(
        "linear",
        "time-dependent",
        "concedes at a constant rate (e = 1)",
        TimeDependent,
        _time_params(1.0),
        kernel=KIND_TIME,
        observes=("own-utility", "time", "others-utility"),
    ),
    StrategyInfo(
        "conceder",
        "time-dependent",
        "concedes early (e = 2)",
        TimeDependent,
        _time_params(2.0),
        kernel=KIND_TIME,
        observes=("own-utility", "time", "others-utility"),
    ),
    StrategyInfo(
        "time-dependent",
        "time-dependent",
        "aspiration falls as (t/T)^(1/e)",
        TimeDependent,
        _time_params(1.0),
        kernel=KIND_TIME,
        in_tournament=False,
        observes=("own-utility", "time", "others-utility"),
    ),
    StrategyInfo(
        "hardliner",
        "time-dependent",
        "always demands its best outcome",
        Hardliner,
        kernel=KIND_HARDLINER,
        observes=("own-utility", "others-utility"),
    ),
    StrategyInfo(
        "tit-for-tat",
        "behaviour-dependent",
        "opens one step down, then mirrors the others' concessions",
        TitForTat,
        (ParamSpec("step", 0.05, 0.0, 1.0, "opening concession in own utility"),),
        kernel=KIND_TIT_FOR_TAT,
        observes=_OBSERVES_BEHAVIOUR,
    ),
    StrategyInfo(
        "grit",
        "behaviour-dependent",
        "unilateral steps for m offers, then reciprocates (Osgood 1962)",
        Grit,
        (
            ParamSpec("step", 0.02, 0.0, 1.0, "size of each unilateral step in own utility"),
            ParamSpec("m", 10.0, 0.0, 1e6, "number of unilateral steps", integer=True),
        ),
        kernel=KIND_GRIT,
        observes=_OBSERVES_BEHAVIOUR,
    ),
    StrategyInfo(
        "random",
        "random",
        "random acceptable offers",
        RandomOffers,
        stochastic=True,
        kernel=KIND_RANDOM,
        observes=("own-utility",),
    ),
    StrategyInfo(
        "working-level",
        "learning",
        "concedes linearly; learns the others' preferences from their offers",
        WorkingLevel,
        _time_params(1.0),
        kernel=KIND_WORKING_LEVEL,
        observes=("own-utility", "time", "others-offers"),
    ),
    StrategyInfo(
        "rubinstein",
        "equilibrium",
        "stationary subgame-perfect strategy (Rubinstein 1982)",
        Rubinstein,
        kernel=KIND_RUBINSTEIN,
        in_tournament=False,
        requires=("two-parties", "discounting"),
        observes=("own-utility", "others-utility", "discount-factors"),
    ),
]
for _info in _BUILTINS:
    REGISTRY.register(_info)


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
