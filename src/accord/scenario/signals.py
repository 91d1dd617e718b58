"""The ``signals:`` section: finite signalling games between two parties.

Each game has a sender (a party) whose private type is drawn from a prior, the messages it can
send, and the actions the receiver (another party) can take after seeing a message. Every
(type, message, action) combination gets exactly one payoff row with the sender's and the
receiver's payoff. At most :data:`MAX_SIZE` types, messages and actions. One type may leave out
its prior: it gets what the others leave (so a sweep can vary the others). ``baseline`` names the
message whose payoffs the costs of the other messages are measured against (default: the first
message). ``labels`` gives plain-language names for type, message and action ids. The engine is
:mod:`accord.signals`.

Example (YAML)::

    signals:
      - id: walk-away
        title: What walking away tells Pyongyang
        sender: usa
        receiver: dprk
        types:
          - {id: resolved, prior: 0.5}
          - {id: eager}                 # the rest: 0.5
        messages: [walk-away, sign-partial-deal]
        actions: [offer-more, hold-firm]
        payoffs:
          - {type: resolved, message: walk-away, action: offer-more, sender: 3, receiver: 1}
          # ... one row per (type, message, action)
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from accord.scenario.base import EvidenceList, FrozenModel, Id, Param

MAX_SIZE = 5
"""At most this many types, messages and actions per game."""

PRIOR_TOL = 1e-9
"""The priors must sum to 1 within this tolerance."""


class SignalType(FrozenModel):
    """One possible type of the sender, with the receiver's prior belief in it."""

    id: Id
    prior: Param | None = Field(
        default=None, description="prior probability; leave out on one type to give it the rest"
    )
    name: str | None = None
    description: str | None = None
    evidence: EvidenceList


class PayoffRow(FrozenModel):
    """The payoffs of one (type, message, action) combination."""

    type: Id
    message: Id
    action: Id
    sender: Param
    receiver: Param
    note: str | None = None
    evidence: EvidenceList


class SignalGame(FrozenModel):
    """One signalling game (see the module docstring)."""

    id: Id
    title: str
    description: str | None = None
    sender: Id
    receiver: Id
    types: tuple[SignalType, ...]
    messages: tuple[Id, ...]
    actions: tuple[Id, ...]
    payoffs: tuple[PayoffRow, ...]
    baseline: Id | None = Field(
        default=None, description="the message costs are measured against (default: the first)"
    )
    labels: dict[Id, str] = Field(default_factory=dict)
    evidence: EvidenceList

    @model_validator(mode="after")
    def _check(self) -> SignalGame:
        where = f"game '{self.id}'"
        if self.sender == self.receiver:
            raise ValueError(
                f"{where}: the sender and the receiver are both '{self.sender}'; a signal goes "
                "from one party to another"
            )
        sizes = {"types": len(self.types), "messages": len(self.messages)}
        sizes["actions"] = len(self.actions)
        for what, n in sizes.items():
            if n < 1:
                raise ValueError(f"{where}: give at least one entry under {what}")
        if max(sizes.values()) > MAX_SIZE:
            raise ValueError(
                f"{where} has {sizes['types']} types, {sizes['messages']} messages and "
                f"{sizes['actions']} actions; at most {MAX_SIZE} of each are supported (a "
                f"{MAX_SIZE}×{MAX_SIZE}×{MAX_SIZE} game has 3,125 × 3,125 strategy profiles): "
                "merge types, messages or actions"
            )
        type_ids = [t.id for t in self.types]
        for what, ids in (
            ("types", type_ids),
            ("messages", list(self.messages)),
            ("actions", list(self.actions)),
        ):
            dups = [i for i, c in Counter(ids).items() if c > 1]
            if dups:
                raise ValueError(f"{where}: {what} ids must be unique; repeated: {', '.join(dups)}")
        self._check_priors(where)
        if self.baseline is not None and self.baseline not in self.messages:
            raise ValueError(
                f"{where}: baseline '{self.baseline}' is not a message; use one of: "
                + ", ".join(self.messages)
            )
        known = set(type_ids) | set(self.messages) | set(self.actions)
        stray = [k for k in self.labels if k not in known]
        if stray:
            raise ValueError(
                f"{where}: labels name {', '.join(stray)}, which is no type, message or action"
            )
        self._check_rows(where, type_ids)
        return self

    def _check_priors(self, where: str) -> None:
        given = [t for t in self.types if t.prior is not None]
        for t in given:
            assert t.prior is not None
            if t.prior.point < 0:
                raise ValueError(
                    f"{where}: the prior of type '{t.id}' is negative ({t.prior.point:g}); a "
                    "prior is a probability, so give a number in [0, 1]"
                )
            t.prior.check_within(0.0, 1.0, f"{where}: the prior of type '{t.id}'")
        missing = [t.id for t in self.types if t.prior is None]
        total = sum(t.prior.point for t in given if t.prior is not None)
        if len(missing) > 1:
            raise ValueError(
                f"{where}: types {', '.join(missing)} have no prior; give every type a prior, "
                "or leave it out on one type only (it gets the rest)"
            )
        if missing and total > 1.0 + PRIOR_TOL:
            raise ValueError(
                f"{where}: the priors given sum to {total:.12g}, over 1, so nothing is left for "
                f"'{missing[0]}'; lower them"
            )
        if not missing and abs(total - 1.0) > PRIOR_TOL:
            raise ValueError(
                f"{where}: the priors sum to {total:.12g}, not 1 (within 1e-9); make them add up "
                "to 1 or leave out the prior of one type to give it the rest"
            )

    def _check_rows(self, where: str, type_ids: list[str]) -> None:
        seen: dict[tuple[str, str, str], int] = {}
        for k, row in enumerate(self.payoffs):
            for what, value, options in (
                ("type", row.type, type_ids),
                ("message", row.message, self.messages),
                ("action", row.action, self.actions),
            ):
                if value not in options:
                    raise ValueError(
                        f"{where}: payoffs[{k}] names the {what} '{value}', which the game "
                        f"lacks; use one of: {', '.join(options)}"
                    )
            key = (row.type, row.message, row.action)
            if key in seen:
                raise ValueError(
                    f"{where}: payoffs[{k}] repeats the row (type {key[0]}, message {key[1]}, "
                    f"action {key[2]}) of payoffs[{seen[key]}]; give each combination once"
                )
            seen[key] = k
        missing = [
            (t, m, a)
            for t in type_ids
            for m in self.messages
            for a in self.actions
            if (t, m, a) not in seen
        ]
        if missing:
            shown = "; ".join(f"type {t}, message {m}, action {a}" for t, m, a in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            raise ValueError(
                f"{where}: {len(missing)} payoff row(s) missing ({shown}{more}); give one row "
                "per (type, message, action) with the sender's and the receiver's payoff"
            )

    def priors(self) -> list[float]:
        """The point priors, the type without one getting the rest (never below 0)."""
        total = sum(t.prior.point for t in self.types if t.prior is not None)
        return [t.prior.point if t.prior is not None else max(0.0, 1.0 - total) for t in self.types]

    def label(self, ident: str) -> str:
        return self.labels.get(ident, ident)


class SignalGames(tuple[SignalGame, ...]):
    """The list of games under ``signals:``; knows which fields name scenario parties."""

    __slots__ = ()

    def party_refs(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path in this section, party id) pairs the scenario checks against its parties."""
        refs: list[tuple[tuple[str | int, ...], str]] = []
        for k, game in enumerate(self):
            refs += [((k, "sender"), game.sender), ((k, "receiver"), game.receiver)]
        return refs


def _as_games(games: tuple[SignalGame, ...]) -> SignalGames:
    if not games:
        raise ValueError("give at least one game under signals")
    dups = [i for i, c in Counter(g.id for g in games).items() if c > 1]
    if dups:
        raise ValueError(f"game ids must be unique; repeated: {', '.join(dups)}")
    return SignalGames(games)


SignalsSection = Annotated[tuple[SignalGame, ...], AfterValidator(_as_games)]
"""The ``signals:`` section: one or more :class:`SignalGame`."""
