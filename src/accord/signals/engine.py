"""From the ``signals:`` section to solved games, readings and findings.

:func:`game_from_section` turns one :class:`accord.scenario.signals.SignalGame` into arrays;
:func:`analyse_game` solves it (:mod:`accord.signals.solver`) and reads it
(:mod:`accord.signals.readings`); :func:`findings` states the results in plain sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import EngineInputError
from accord.scenario.signals import SignalGame
from accord.signals.game import SignallingGame
from accord.signals.readings import (
    MessageReading,
    Threshold,
    message_readings,
    what_it_would_take,
)
from accord.signals.solver import Solution, solve


def game_from_section(section: SignalGame) -> SignallingGame:
    """The arrays of one scenario game (point values of every payoff and prior)."""
    types = tuple(t.id for t in section.types)
    t_idx = {t: k for k, t in enumerate(types)}
    m_idx = {m: k for k, m in enumerate(section.messages)}
    a_idx = {a: k for k, a in enumerate(section.actions)}
    shape = (len(types), len(section.messages), len(section.actions))
    us, ur = np.zeros(shape), np.zeros(shape)
    for row in section.payoffs:
        cell = (t_idx[row.type], m_idx[row.message], a_idx[row.action])
        us[cell] = row.sender.point
        ur[cell] = row.receiver.point
    prior = np.array(section.priors(), dtype=np.float64)
    labels = dict(section.labels)
    for t in section.types:
        if t.name:
            labels.setdefault(t.id, t.name)
    return SignallingGame(
        types=types,
        messages=tuple(section.messages),
        actions=tuple(section.actions),
        prior=prior / prior.sum() if prior.sum() > 0 else prior,
        us=us,
        ur=ur,
        id=section.id,
        title=section.title,
        sender=section.sender,
        receiver=section.receiver,
        baseline=m_idx[section.baseline] if section.baseline else 0,
        labels=labels,
    )


@dataclass(frozen=True)
class GameAnalysis:
    """One solved game with its readings, and the party names the sentences use."""

    game: SignallingGame
    solution: Solution
    messages: tuple[MessageReading, ...]
    thresholds: tuple[Threshold, ...]
    names: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        g = self.game
        out = {
            "id": g.id,
            "title": g.title,
            "sender": g.sender,
            "receiver": g.receiver,
            "types": list(g.types),
            "messages": list(g.messages),
            "actions": list(g.actions),
            "prior": {t: float(p) for t, p in zip(g.types, g.prior, strict=True)},
            "payoffs": [
                {
                    "type": g.types[t],
                    "message": g.messages[m],
                    "action": g.actions[a],
                    "sender": float(g.us[t, m, a]),
                    "receiver": float(g.ur[t, m, a]),
                }
                for t, m, a in np.ndindex(g.shape)
            ],
            **self.solution.to_dict(),
            "messages_read": [r.to_dict(g) for r in self.messages],
            "what_it_would_take": [th.to_dict(g) for th in self.thresholds],
        }
        return out


def analyse_game(
    game: SignallingGame, names: Mapping[str, str] | None = None, thresholds: bool = True
) -> GameAnalysis:
    """Solve one game and read it (module docstring)."""
    solution = solve(game)
    return GameAnalysis(
        game=game,
        solution=solution,
        messages=tuple(message_readings(solution)),
        thresholds=tuple(what_it_would_take(game)) if thresholds else (),
        names=dict(names or {}),
    )


def select_games(
    games: tuple[SignalGame, ...] | None, only: str | None = None
) -> list[SignallingGame]:
    """The games of a ``signals:`` section (one of them with ``only``) as arrays."""
    if not games:
        raise EngineInputError(
            "this scenario has no 'signals:' section; add a game with sender, receiver, types "
            "(with priors), messages, actions and one payoff row per (type, message, action)"
        )
    chosen = [g for g in games if only is None or g.id == only]
    if not chosen:
        raise EngineInputError(
            f"no signalling game '{only}'; use one of: {', '.join(g.id for g in games)}"
        )
    return [game_from_section(g) for g in chosen]


# --- findings ---------------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"


def _cost_text(row: np.ndarray) -> str:
    """'0.5', 'from 1.5 to 2', or a negative cost stated as a gain ('gains 1 to 1.5')."""
    lo, hi = float(row.min()), float(row.max())
    if hi < 0:
        return f"nothing but gains {_fmt(-hi)}" + ("" if lo == hi else f" to {_fmt(-lo)}")
    return _fmt(lo) if lo == hi else f"from {_fmt(lo)} to {_fmt(hi)}"


def _poss(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _a(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _profile_text(a: GameAnalysis, sender: tuple[int, ...], receiver: tuple[int, ...]) -> str:
    g, name = a.game, a.names.get
    snd, rcv = name(g.sender, g.sender), name(g.receiver, g.receiver)
    parts = []
    for m in sorted(set(sender)):
        who = [g.label(g.types[t]) for t in range(len(sender)) if sender[t] == m]
        if len(who) == len(sender):
            parts.append(f"{snd} sends '{g.label(g.messages[m])}' whatever its type")
        else:
            parts.append(f"{_a(' or '.join(who))} {snd} sends '{g.label(g.messages[m])}'")
    replies = [
        f"'{g.label(g.actions[receiver[m]])}' after '{g.label(g.messages[m])}'"
        for m in range(len(receiver))
    ]
    return "; ".join(parts) + f"; {rcv} answers " + ", ".join(replies)


def _threshold_text(a: GameAnalysis, t: Threshold, separating: bool) -> str:
    g, name = a.game, a.names.get
    snd, rcv = name(g.sender, g.sender), name(g.receiver, g.receiver)
    up = t.change > 0
    if t.target == "prior":
        return (
            f"the prior of {_a(g.label(g.types[t.type]))} {snd} "
            + (
                f"stays {'below' if up else 'above'} "
                if separating
                else f"goes from {_fmt(t.current)} to {'above' if up else 'below'} "
            )
            + _fmt(t.needed)
            + (f" (now {_fmt(t.current)})" if separating else "")
        )
    whose = _poss(snd if t.target == "sender" else rcv)
    cell = (
        f"{whose} payoff when {_a(g.label(g.types[t.type]))} {snd} sends "
        f"'{g.label(g.messages[t.message])}' and {rcv} answers '{g.label(g.actions[t.action])}'"
    )
    if separating:
        return f"{cell} stays {'below' if up else 'above'} {_fmt(t.needed)} (now {_fmt(t.current)})"
    return f"{cell} goes from {_fmt(t.current)} to {'above' if up else 'below'} {_fmt(t.needed)}"


def _nearest(thresholds: tuple[Threshold, ...]) -> list[Threshold]:
    """The smallest payoff changes (all that tie with the smallest, at most 3) and prior change."""
    pay = [t for t in thresholds if t.target != "prior"]
    prior = [t for t in thresholds if t.target == "prior"]
    out = [t for t in pay if abs(abs(t.change) - abs(pay[0].change)) <= 1e-6][:3] if pay else []
    return out + prior[:1]


def findings(analysis: GameAnalysis) -> list[dict[str, Any]]:
    """Plain-language findings for one game: {"kind", "text", "values"} dicts."""
    a, g = analysis, analysis.game
    sol = a.solution
    name = a.names.get
    snd, rcv = name(g.sender, g.sender), name(g.receiver, g.receiver)
    head = f"{g.title or g.id}:"
    out: list[dict[str, Any]] = []
    eq_values = [
        {
            "sender": {g.types[t]: g.messages[m] for t, m in enumerate(e.sender)},
            "receiver": {g.messages[m]: g.actions[x] for m, x in enumerate(e.receiver)},
            "kind": e.kind,
            "intuitive": e.intuitive,
        }
        for e in sol.equilibria
    ]
    if sol.count:
        listed = "; ".join(
            f"({k + 1}) {e.kind}: {_profile_text(a, e.sender, e.receiver)}"
            + ("" if e.intuitive else " [fails the intuitive criterion]")
            for k, e in enumerate(sol.equilibria[:4])
        )
        more = f" ... and {sol.count - 4} more" if sol.count > 4 else ""
        out.append(
            {
                "kind": "signals.equilibria",
                "text": f"{head} {sol.count} pure-strategy "
                f"equilibri{'um' if sol.count == 1 else 'a'}"
                f" — {listed}{more}.",
                "values": {
                    "game": g.id,
                    "count": sol.count,
                    "kinds": dict(sol.kinds),
                    "equilibria": eq_values[:20],
                },
            }
        )
    else:
        text = f"{head} no pure-strategy equilibrium." + (
            ""
            if sol.hybrids or len(g.types) != 2
            else " No hybrid of the usual form either (one type sends one message for sure, the "
            "other mixes it with a second): its equilibria mix more (both types, or over more "
            "messages)."
        )
        if sol.hybrids:
            h = sol.hybrids[0]
            mixes = []
            for t in range(len(g.types)):
                row = {g.label(g.messages[m]): p for m, p in enumerate(h.sender[t]) if p > 0}
                mixes.append(
                    f"{g.label(g.types[t])}: "
                    + ", ".join(f"'{m}' with probability {_fmt(p)}" for m, p in row.items())
                )
            replies = []
            for m in range(len(g.messages)):
                row = {g.label(g.actions[x]): p for x, p in enumerate(h.receiver[m]) if p > 0}
                if row:
                    replies.append(
                        f"after '{g.label(g.messages[m])}' "
                        + ", ".join(f"'{x}' with probability {_fmt(p)}" for x, p in row.items())
                    )
            text += (
                f" In the hybrid equilibrium {snd} mixes — "
                + "; ".join(mixes)
                + f" — and {rcv} answers "
                + "; ".join(replies)
                + "."
            )
        out.append(
            {
                "kind": "signals.hybrid" if sol.hybrids else "signals.none",
                "text": text,
                "values": {"game": g.id, "hybrids": [h.to_dict(g) for h in sol.hybrids]},
            }
        )
    sep = sol.separating_exists
    near = _nearest(a.thresholds)
    if near:
        pieces = [_threshold_text(a, t, sep) for t in near]
        if sep:
            e = next(e for e in sol.equilibria if e.kind == "separating")
            first = g.label(g.types[0])
            others = [g.label(g.types[t]) for t in range(1, len(g.types))]
            other_txt = f"{_a(others[0])} one" if len(others) == 1 else "the other types"
            text = (
                f"{head} '{g.label(g.messages[e.sender[0]])}' separates {_a(first)} {snd} from "
                f"{other_txt} only while " + "; and while ".join(pieces) + "."
            )
        else:
            text = (
                f"{head} no separating equilibrium; the smallest single change that makes one "
                "exist: " + "; or ".join(pieces) + " (no change to the prior alone would)."
            )
        out.append(
            {
                "kind": "signals.what_it_would_take",
                "text": text,
                "values": {
                    "game": g.id,
                    "separating": sep,
                    "thresholds": [t.to_dict(g) for t in near],
                },
            }
        )
    elif sol.count:
        out.append(
            {
                "kind": "signals.what_it_would_take",
                "text": f"{head} {'a' if sep else 'no'} separating equilibrium, and no single "
                "payoff or prior change within the scanned range alters that.",
                "values": {"game": g.id, "separating": sep, "thresholds": []},
            }
        )
    for r in a.messages:
        label = g.label(g.messages[r.message])
        costs = {g.types[t]: [float(c) for c in r.cost[t]] for t in range(len(g.types))}
        if r.cost_kind == "cheap":
            moved = (
                "it is never sent in equilibrium"
                if r.shift is None
                else "it moves no belief: wherever it is sent the posterior equals the prior"
                if r.shift <= 1e-9
                else f"yet it moves the belief by up to {_fmt(r.shift)} (total variation)"
            )
            text = (
                f"{head} '{label}' is cheap talk (it costs no type of {snd} anything), and {moved}."
            )
        elif r.cost_kind in ("sunk", "tied-hands"):
            per_type = ", ".join(
                f"{g.label(g.types[t])} {_cost_text(r.cost[t])}" for t in range(len(g.types))
            )
            what = (
                "a sunk cost (paid whatever the response)"
                if r.cost_kind == "sunk"
                else "tying hands (its cost depends on the response)"
            )
            base = g.label(g.messages[g.baseline])
            sep_txt = (
                "it separates the types in some equilibrium"
                if r.separates
                else "it separates the types in no equilibrium"
            ) + (
                ""
                if r.shift is None or r.shift <= 1e-9
                else f" and moves the belief by up to {_fmt(r.shift)} (total variation)"
            )
            text = f"{head} '{label}' is {what}: against '{base}' it costs {per_type}; {sep_txt}."
        else:
            continue
        out.append(
            {
                "kind": f"signals.message_{r.cost_kind.replace('-', '_')}",
                "text": text,
                "values": {
                    "game": g.id,
                    "message": g.messages[r.message],
                    "cost": costs,
                    "belief_shift": r.shift,
                    "separates": r.separates,
                },
            }
        )
    failing = [e for e in sol.equilibria if not e.intuitive and e.broken_by is not None]
    if failing:
        e = failing[0]
        m, t = e.broken_by  # type: ignore[misc]
        out.append(
            {
                "kind": "signals.intuitive",
                "text": f"{head} {len(failing)} "
                f"equilibri{'um fails' if len(failing) == 1 else 'a fail'}"
                f" the intuitive criterion; e.g. the {e.kind} one where "
                f"{_profile_text(a, e.sender, e.receiver)}: only {_a(g.label(g.types[t]))} {snd}"
                f" could gain from '{g.label(g.messages[m])}', so {rcv} should not read it as "
                "coming from the others.",
                "values": {
                    "game": g.id,
                    "failing": len(failing),
                    "message": g.messages[m],
                    "type": g.types[t],
                },
            }
        )
    return out
