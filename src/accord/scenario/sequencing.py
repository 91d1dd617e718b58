"""The ``sequencing:`` section: reciprocal steps that two parties could exchange over rounds.

Each step is owned by one party, costs its owner ``cost`` and is worth ``value`` to the other side;
it may be split over rounds (``divisible``, the default) or not, a fraction ``reversible`` of its
value can be taken back by its owner if the other side stops (snapback), and ``given: true`` marks
a step already delivered before round 1 (its cost is sunk; its value, and the snapback it allows,
already count). ``order`` lists pairs ``[k, l]``: step ``k`` must be finished in an earlier round
than any part of step ``l`` starts. Per party: ``patience`` δ (per-round discount factor),
``trust`` π (per-round belief that the other side keeps going), ``completion_value`` G (received
only when every step is done) and ``detection``: the probability that this party notices a
shortfall by the other side (the quality of its verification). The engine is
:mod:`accord.sequencing`; the model is documented there and in docs/models.md.

Mistrust keys (Accord issue 15): ``within_round`` is ``sequential`` (default: one side moves first
each round and is exposed to the other's defection for that step) or ``simultaneous`` (both
deliver at once); ``first_mover`` is ``auto`` (the engine chooses), ``alternate`` or a party id.
``snapback`` is ``credible`` (default: a reversal is carried out with probability
``reversal_probability`` — times the consent of the stakeholders in ``needs_consent`` — only if it
costs its owner no more (``reversal_cost``) than it recovers, and the threat is discounted by
trust) or ``free`` (the old model: certain, costless, undiscounted). Per party ``first_move_cost``
is the face cost paid in every round it moves first. ``trust_model`` is ``fixed`` (trust is a
constant per-move probability that the other side keeps going) or ``bayesian`` (``trust`` is the
prior that the other side is the cooperative type, updated by Bayes' rule after each of its moves;
an uncooperative type makes a move that costs it x with probability exp(−x/``mimic_scale``);
Kydd 2005, *Trust and Mistrust in International Relations*, ch. 7, costly reassurance).

Example (YAML)::

    sequencing:
      max_rounds: 20
      parties:
        usa: {patience: 0.95, trust: 0.6, completion_value: 0.3, detection: 0.9}
        dprk: {patience: 0.95, trust: 0.5, completion_value: 0.4, detection: 1.0}
      steps:
        - {id: yongbyon-freeze, owner: dprk, cost: 0.1, value: 0.15, divisible: false}
        - {id: yongbyon-dismantlement, owner: dprk, cost: 0.3, value: 0.4}
        - {id: partial-relief, owner: usa, cost: 0.1, value: 0.2, reversible: 0.8}
      order: [[yongbyon-freeze, yongbyon-dismantlement]]
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Literal

from pydantic import Field, model_validator

from accord.scenario.base import Evidence, FrozenModel, Id, Param

MAX_ROUNDS = 200
"""Upper bound on ``max_rounds``: the programme has one variable per step and round."""

MAX_STEPS = 200
"""Upper bound on the number of steps."""

MAX_CELLS = 20_000
"""Upper bound on steps × rounds, which keeps one LP/MILP to a few seconds at most."""


class SequencingParty(FrozenModel):
    """One side's patience, trust, prize at completion and verification quality."""

    patience: Param = Field(description="per-round discount factor δ in (0, 1]")
    trust: Param = Field(description="per-round belief π in [0, 1] that the other side keeps going")
    completion_value: Param = Field(
        default_factory=lambda: Param(value=0.0),
        description="value G >= 0 received only when every step is done",
    )
    detection: Param = Field(
        default_factory=lambda: Param(value=1.0),
        description="probability in [0, 1] that this party notices a shortfall by the other side",
    )
    first_move_cost: Param = Field(
        default_factory=lambda: Param(value=0.0),
        description="face cost >= 0 this party pays in every round in which it moves first",
    )
    mimic_scale: Param | None = Field(
        default=None,
        description=(
            "trust_model bayesian: an uncooperative type of this party makes a move costing it x "
            "with probability exp(-x / mimic_scale)"
        ),
    )
    name: str | None = None

    @model_validator(mode="after")
    def _check(self) -> SequencingParty:
        self.patience.check_within(0.0, 1.0, "patience")
        if self.patience.point <= 0:
            raise ValueError("patience must lie in (0, 1]; 0 would mean the future is worthless")
        self.trust.check_within(0.0, 1.0, "trust")
        self.completion_value.check_within(0.0, math.inf, "completion_value")
        self.detection.check_within(0.0, 1.0, "detection")
        self.first_move_cost.check_within(0.0, math.inf, "first_move_cost")
        if self.mimic_scale is not None:
            self.mimic_scale.check_within(0.0, math.inf, "mimic_scale")
            if self.mimic_scale.point <= 0:
                raise ValueError("mimic_scale must be positive (a cost scale)")
        return self


class Consent(FrozenModel):
    """Stakeholders whose consent a reversal needs, read from the ``stakeholders:`` section.

    Each actor consents with probability equal to how far its position on ``dimension`` lies
    toward the end the reversal moves to (``toward: low``: (high − position)/(high − low)).
    """

    actors: tuple[Id, ...] = Field(min_length=1)
    dimension: Id
    toward: Literal["low", "high"] = "low"
    evidence: tuple[Evidence, ...] = ()


class Step(FrozenModel):
    """A step one party can take: what it costs its owner and is worth to the other side."""

    id: Id
    owner: Id
    cost: Param
    value: Param
    divisible: bool = True
    reversible: Param = Field(default_factory=lambda: Param(value=0.0))
    reversal_probability: Param = Field(
        default_factory=lambda: Param(value=1.0),
        description="probability in [0, 1] that the reversal can actually be carried out",
    )
    reversal_cost: Param = Field(
        default_factory=lambda: Param(value=0.0),
        description="cost >= 0 to the owner of carrying out the whole reversal",
    )
    needs_consent: Consent | None = None
    given: bool = Field(default=False, description="already delivered before round 1")
    name: str | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Step:
        self.cost.check_within(0.0, math.inf, f"step '{self.id}': cost")
        self.value.check_within(0.0, math.inf, f"step '{self.id}': value")
        self.reversible.check_within(0.0, 1.0, f"step '{self.id}': reversible")
        self.reversal_probability.check_within(0.0, 1.0, f"step '{self.id}': reversal_probability")
        self.reversal_cost.check_within(0.0, math.inf, f"step '{self.id}': reversal_cost")
        return self


class Sequencing(FrozenModel):
    """The ``sequencing:`` section (see the module docstring for the meaning of each key)."""

    max_rounds: int = Field(default=20, description="the most rounds a schedule may take")
    parties: dict[Id, SequencingParty]
    steps: tuple[Step, ...]
    order: tuple[tuple[Id, Id], ...] = ()
    within_round: Literal["sequential", "simultaneous"] = "sequential"
    first_mover: str = Field(default="auto", description="auto, alternate or a party id")
    snapback: Literal["credible", "free"] = "credible"
    trust_model: Literal["fixed", "bayesian"] = "fixed"

    @model_validator(mode="after")
    def _check(self) -> Sequencing:
        if not 1 <= self.max_rounds <= MAX_ROUNDS:
            raise ValueError(
                f"max_rounds must be between 1 and {MAX_ROUNDS}, got {self.max_rounds}"
            )
        if len(self.parties) != 2:
            raise ValueError(
                "sequencing models an exchange between exactly two parties; list two under "
                f"parties (got {len(self.parties)}: {', '.join(self.parties) or '-'})"
            )
        if self.first_mover not in ("auto", "alternate", *self.parties):
            raise ValueError(
                f"first_mover must be auto, alternate or one of the parties "
                f"({', '.join(self.parties)}), got '{self.first_mover}'"
            )
        if self.trust_model == "bayesian":
            missing = [p for p, v in self.parties.items() if v.mimic_scale is None]
            if missing:
                raise ValueError(
                    "trust_model bayesian needs mimic_scale for every party (missing: "
                    + ", ".join(missing)
                    + "): the cost scale up to which an uncooperative type still moves"
                )
        if not self.steps:
            raise ValueError("give at least one step under steps")
        if len(self.steps) > MAX_STEPS:
            raise ValueError(f"at most {MAX_STEPS} steps are supported, got {len(self.steps)}")
        ids = [s.id for s in self.steps]
        dups = [i for i, c in Counter(ids).items() if c > 1]
        if dups:
            raise ValueError(f"step ids must be unique; repeated: {', '.join(dups)}")
        for k, step in enumerate(self.steps):
            if step.owner not in self.parties:
                raise ValueError(
                    f"steps[{k}] ('{step.id}'): owner '{step.owner}' is not one of the sequencing "
                    f"parties; use one of: {', '.join(self.parties)}"
                )
        if all(s.given for s in self.steps):
            raise ValueError("every step is already given; leave at least one step to schedule")
        open_steps = sum(not s.given for s in self.steps)
        if open_steps * self.max_rounds > MAX_CELLS:
            raise ValueError(
                f"{open_steps} steps × {self.max_rounds} rounds is more than {MAX_CELLS:,} "
                "step-rounds; lower max_rounds or merge steps"
            )
        by_id = {s.id: s for s in self.steps}
        for n, (before, after) in enumerate(self.order):
            for name in (before, after):
                if name not in by_id:
                    raise ValueError(
                        f"order[{n}]: '{name}' is not a step; use one of: {', '.join(ids)}"
                    )
            if before == after:
                raise ValueError(f"order[{n}]: a step cannot come before itself ('{before}')")
            if by_id[after].given and not by_id[before].given:
                raise ValueError(
                    f"order[{n}]: '{after}' is already given, so '{before}' cannot come before "
                    "it; drop the pair or mark both as given"
                )
        cycle = _find_cycle(self.order)
        if cycle:
            raise ValueError(
                "order contains a cycle (" + " before ".join(cycle) + "); no schedule can satisfy "
                "it, so drop one of these pairs"
            )
        open_pairs = tuple((a, b) for a, b in self.order if not (by_id[a].given or by_id[b].given))
        chain = _longest_chain(open_pairs)
        if chain > self.max_rounds:
            raise ValueError(
                f"the order rules chain {chain} steps one after another, which needs at least "
                f"{chain} rounds; raise max_rounds to {chain} or more"
            )
        return self

    def party_refs(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path in this section, party id) pairs the scenario checks against its parties."""
        refs: list[tuple[tuple[str | int, ...], str]] = [
            (("parties", pid), pid) for pid in self.parties
        ]
        refs += [(("steps", k, "owner"), s.owner) for k, s in enumerate(self.steps)]
        if self.first_mover not in ("auto", "alternate"):
            refs.append((("first_mover",), self.first_mover))
        return refs

    def stakeholder_refs(self) -> list[tuple[tuple[str | int, ...], str, str]]:
        """(field path, actor id, dimension id) of every consent a reversal needs."""
        return [
            (("steps", k, "needs_consent"), actor, s.needs_consent.dimension)
            for k, s in enumerate(self.steps)
            if s.needs_consent is not None
            for actor in s.needs_consent.actors
        ]


def _longest_chain(pairs: tuple[tuple[str, str], ...]) -> int:
    """Steps in the longest before→after chain of an acyclic order (1 without pairs)."""
    depth: dict[str, int] = {}
    for _ in range(len(pairs) + 1):  # a chain has at most len(pairs) + 1 steps
        changed = False
        for a, b in pairs:
            if depth.get(b, 1) < depth.get(a, 1) + 1:
                depth[b] = depth.get(a, 1) + 1
                changed = True
        if not changed:
            break
    return max(depth.values(), default=1)


def _find_cycle(pairs: tuple[tuple[str, str], ...]) -> list[str]:
    """A cycle in the precedence graph as [a, b, ..., a], or [] when it is acyclic (DFS)."""
    succ: dict[str, list[str]] = {}
    for a, b in pairs:
        succ.setdefault(a, []).append(b)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in succ.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for start in list(succ):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return []
