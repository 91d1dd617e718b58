"""Negotiation strategies with declarative metadata, in a registry third parties can extend.

Every strategy answers two questions at its turn (alternating offers, see :mod:`.scalar`):

* **offer** — which outcome to propose. The agent sets an *aspiration* a (a utility level); among
  the outcomes worth at least a to it, it offers the one it predicts is best for the other parties
  (the smallest utility among them *as it believes them*; ties go to the higher own utility, then
  the lower outcome number, so non-stochastic strategies need no random tie-breaks). When nothing
  reaches a, it offers its own best outcome.
* **accept** — the engine accepts an offer for the agent when it is worth at least its walk-away
  value and at least what the agent would offer at its next turn, both discounted ("AC_next",
  Baarslag et al. 2014, *Effective acceptance conditions in multilateral negotiation*).

Strategies never read the other parties' true utilities or walk-away values: a
:class:`PartyView` gives them their own utilities and their *beliefs* about the others, which the
setup's information model fixes (:mod:`accord.simulation.setup`: by default equal weights on the
others' known per-issue value functions and a uniform prior on their walk-away values; or
complete information). The offer rule above ranks by believed utility, so a belief about a
walk-away value cannot change it; only ``rubinstein`` uses that belief (its outside-option
threshold).

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
  space by iterating the stationarity conditions v_i = max{u_i : u_j ≥ max(δ_j v_j, r_j)} to their
  fixed point: always offer the best outcome that leaves the other its continuation value, or its
  walk-away value when that is larger (the outside option principle, Osborne & Rubinstein 1990,
  *Bargaining and Markets*, §3.12). It plays on its beliefs: the other's utility and walk-away
  value as it believes them (certainty equivalence: the point of the belief), so under complete
  information it is Rubinstein's equilibrium and under beliefs a best guess at it.

The registry, spec parsing and the third-party entry points are in :mod:`.registry`; the
Rubinstein fixed point is in :mod:`.rubinstein`; the built-ins are registered from one table at
the end of this module.

Example::

    >>> spec = parse_strategy("boulware:e=0.1")
    >>> spec.name, dict(spec.params)
    ('boulware', {'e': 0.1, 'open': 1.0})
    >>> REGISTRY.get("grit").stochastic
    False
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from accord.errors import EngineInputError
from accord.simulation.registry import (
    ENTRY_POINT_GROUP,
    KIND_GRIT,
    KIND_HARDLINER,
    KIND_RANDOM,
    KIND_RUBINSTEIN,
    KIND_TIME,
    KIND_TIT_FOR_TAT,
    KIND_WORKING_LEVEL,
    N_KERNEL_PARAMS,
    REGISTRY,
    ParamSpec,
    StrategyInfo,
    StrategyRegistry,
    StrategySpec,
    describe_registry,
    parse_assignment,
    parse_strategy,
)
from accord.simulation.rubinstein import (
    believed_rubinstein_offer,
    rubinstein_offer,
    stationary_values,
)
from accord.simulation.setup import NegotiationSetup

# The registry and the Rubinstein fixed point live in their own modules; their names stay
# importable from here.
__all__ = [
    "ENTRY_POINT_GROUP",
    "KIND_GRIT",
    "KIND_HARDLINER",
    "KIND_RANDOM",
    "KIND_RUBINSTEIN",
    "KIND_TIME",
    "KIND_TIT_FOR_TAT",
    "KIND_WORKING_LEVEL",
    "N_KERNEL_PARAMS",
    "REGISTRY",
    "Grit",
    "Hardliner",
    "ParamSpec",
    "PartyView",
    "RandomOffers",
    "Reciprocating",
    "Rubinstein",
    "Strategy",
    "StrategyInfo",
    "StrategyRegistry",
    "StrategySpec",
    "TimeDependent",
    "TitForTat",
    "WorkingLevel",
    "believed_rubinstein_offer",
    "check_applicable",
    "choose_offer",
    "describe_registry",
    "parse_assignment",
    "parse_strategy",
    "rubinstein_offer",
    "stationary_values",
    "time_dependent_aspiration",
]


# --------------------------------------------------------------------------------------------
# Scalar strategy classes (the readable reference the batch engine is tested against)
# --------------------------------------------------------------------------------------------


class PartyView:
    """What a strategy sees of one negotiation: its own side, the rules and its beliefs.

    It holds the setup privately and exposes only what party ``index`` knows: its own utilities
    and walk-away value, the deadline, the issue codes of the outcomes (the agenda is public),
    every discount factor (common knowledge, as in Rubinstein 1982), its random draws and its
    *beliefs* about the others (``others_min``, ``believed_reservation``), never their true
    utilities or walk-away values (see :mod:`accord.simulation.setup` for the information models).
    """

    def __init__(self, index: int, setup: NegotiationSetup, draws: np.ndarray) -> None:
        self.index = index
        self._setup = setup
        self.draws = draws  # (deadline,) uniforms; used only by stochastic strategies

    @property
    def setup(self) -> NegotiationSetup:
        raise AttributeError(
            "a PartyView no longer exposes the setup, which holds the other parties' true "
            "utilities; use view.deadline, view.n_parties, view.issue_codes, view.discount, "
            "view.own, view.others_min (believed) and view.believed_reservation"
        )

    @property
    def deadline(self) -> int:
        return self._setup.deadline

    @property
    def n_parties(self) -> int:
        return self._setup.n_parties

    @property
    def issue_codes(self) -> np.ndarray:
        return self._setup.issue_codes

    @property
    def discount(self) -> np.ndarray:
        return self._setup.discount

    @property
    def information(self) -> str:
        return self._setup.information

    @property
    def believed_reservation(self) -> np.ndarray:
        """What this party believes each party's walk-away value is (its own: the truth)."""
        return self._setup.beliefs_about_reservation[self.index]

    @cached_property
    def own(self) -> np.ndarray:
        return np.ascontiguousarray(self._setup.utilities[:, self.index])

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
        """The smallest believed utility among the other parties (the one an offer must win)."""
        return np.ascontiguousarray(self._setup.scores[:, self.index])


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
            v.deadline,
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
        p = view.n_parties
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
        codes = view.issue_codes
        n_issues = codes.shape[1]
        n_values = int(codes.max()) + 1 if codes.size else 1
        self.counts = np.zeros((n_issues, n_values))
        self.issue_weights = np.ones(n_issues)
        self.previous: np.ndarray | None = None

    def observe(self, t: int, proposer: int, outcome: int) -> None:
        codes = self._view.issue_codes[outcome]
        for k, c in enumerate(codes):
            self.counts[k, c] += 1.0
            # An issue whose value the others keep fixed is one they care about.
            if self.previous is not None and self.previous[k] == c:
                self.issue_weights[k] += 1.0
        self.previous = codes.copy()

    def predicted_others(self) -> np.ndarray:
        codes = self._view.issue_codes
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
            v.deadline,
            v.u_max,
            reservation,
            self.params["e"],
            self.params["open"],
        )
        return choose_offer(own, self.predicted_others(), a)

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        return (self.params["e"], self.params["open"])


class Rubinstein(Strategy):
    def reset(self, view: PartyView) -> None:
        super().reset(view)
        self.planned = believed_rubinstein_offer(
            view.own, view.others_min, view.discount, view.index, view.believed_reservation
        )

    def offer(self, t: int, reservation: float) -> int:
        return self.planned

    def kernel_params(self, setup: NegotiationSetup, index: int) -> tuple[float, ...]:
        planned = believed_rubinstein_offer(
            setup.utilities[:, index],
            setup.scores[:, index],
            setup.discount,
            index,
            setup.beliefs_about_reservation[index],
        )
        return (float(planned),)


def check_applicable(setup: NegotiationSetup, specs: Sequence[StrategySpec]) -> None:
    """Explain, before running, why a strategy cannot play this negotiation."""
    for spec in specs:
        requires = spec.info.requires
        if "two-parties" in requires and setup.n_parties != 2:
            raise EngineInputError(f"strategy '{spec.name}' needs exactly two parties")
        if "discounting" in requires and not np.all(setup.discount < 1):
            raise EngineInputError(
                f"strategy '{spec.name}' needs every party to discount (preferences.<party>."
                "discount below 1)"
            )


# --------------------------------------------------------------------------------------------
# Built-in registrations: one table
# --------------------------------------------------------------------------------------------


def _time_params(e_default: float) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("e", e_default, 1e-3, 100.0, "concession exponent: <1 Boulware, 1 linear, >1"),
        ParamSpec("open", 1.0, 0.0, 1.0, "opening demand as a share of (best − walk-away)"),
    )


_TIME = ("own-utility", "time", "others-utility-belief")
_BEHAVIOUR = ("own-utility", "time", "others-offers", "others-utility-belief")
_RUBINSTEIN = (
    "own-utility",
    "others-utility-belief",
    "others-reservation-belief",
    "discount-factors",
)
_TIT_FOR_TAT = (ParamSpec("step", 0.05, 0.0, 1.0, "opening concession in own utility"),)
_GRIT = (
    ParamSpec("step", 0.02, 0.0, 1.0, "size of each unilateral step in own utility"),
    ParamSpec("m", 10.0, 0.0, 1e6, "number of unilateral steps", integer=True),
)
_NOT_IN_TOURNAMENT = {"in_tournament": False}
# name, family, description, class, parameters, batch kernel, observes, other metadata
_BUILTINS: tuple[tuple[Any, ...], ...] = (
    ("boulware", "time-dependent", "concedes late (e = 0.2)", TimeDependent,
     _time_params(0.2), KIND_TIME, _TIME, {}),
    ("linear", "time-dependent", "concedes at a constant rate (e = 1)", TimeDependent,
     _time_params(1.0), KIND_TIME, _TIME, {}),
    ("conceder", "time-dependent", "concedes early (e = 2)", TimeDependent,
     _time_params(2.0), KIND_TIME, _TIME, {}),
    ("time-dependent", "time-dependent", "aspiration falls as (t/T)^(1/e)", TimeDependent,
     _time_params(1.0), KIND_TIME, _TIME, _NOT_IN_TOURNAMENT),
    ("hardliner", "time-dependent", "always demands its best outcome", Hardliner,
     (), KIND_HARDLINER, ("own-utility", "others-utility-belief"), {}),
    ("tit-for-tat", "behaviour-dependent",
     "opens one step down, then mirrors the others' concessions", TitForTat,
     _TIT_FOR_TAT, KIND_TIT_FOR_TAT, _BEHAVIOUR, {}),
    ("grit", "behaviour-dependent",
     "unilateral steps for m offers, then reciprocates (Osgood 1962)", Grit,
     _GRIT, KIND_GRIT, _BEHAVIOUR, {}),
    ("random", "random", "random acceptable offers", RandomOffers,
     (), KIND_RANDOM, ("own-utility",), {"stochastic": True}),
    ("working-level", "learning",
     "concedes linearly; learns the others' preferences from their offers", WorkingLevel,
     _time_params(1.0), KIND_WORKING_LEVEL, ("own-utility", "time", "others-offers"), {}),
    ("rubinstein", "equilibrium", "stationary subgame-perfect strategy (Rubinstein 1982)",
     Rubinstein, (), KIND_RUBINSTEIN, _RUBINSTEIN,
     {**_NOT_IN_TOURNAMENT, "requires": ("two-parties", "discounting")}),
)  # fmt: skip
for _name, _family, _text, _cls, _params, _kernel, _observes, _extra in _BUILTINS:
    REGISTRY.register(
        StrategyInfo(
            _name, _family, _text, _cls, _params, kernel=_kernel, observes=_observes, **_extra
        )
    )
