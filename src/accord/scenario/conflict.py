"""The ``conflict:`` section: a Graph Model for Conflict Resolution in option form.

Follows the option form of Fang, Hipel & Kilgour (1993), *Interactive Decision Making: The Graph
Model for Conflict Resolution*, ch. 2, and option prioritisation of Fang, Hipel, Kilgour & Peng
(2003), "A decision support system for interactive decision making, Part I", §3.

Conventions (the GMCR literature's): options are numbered in declaration order across decision
makers, option 0 is the least significant bit of a state's decimal code; feasible states are
numbered 1..n by increasing decimal code.

Example::

    conflict:
      decision_makers:
        - {id: us, options: [air-strike, blockade]}
        - {id: ussr, options: [withdraw, escalate]}
      infeasible:
        - {withdraw: true, escalate: true}
        - {at_most_one_of: [air-strike, blockade]}     # helper
      irreversible: {air-strike: forward}
      preferences:
        us: {ranking: [[3], [1], 2, 4, 5, 6, 7, 8, 9]}  # feasible state numbers, best first
        ussr: {prioritization: ["withdraw", "-escalate", "air-strike -> withdraw"]}
      status_quo: {air-strike: false, blockade: false, withdraw: false, escalate: false}
      perceptions:                                     # optional: first-level hypergame
        - holder: ussr                                 # the USSR believes the US ranks
          about: us                                    # the states like this
          prioritization: ["-air-strike", "withdraw"]

A prioritisation statement is an option id, its negation ``-id``, a conjunction ``a & b``, a
disjunction ``a | b``, an implication ``a -> b`` or an equivalence ``a <-> b`` (parentheses
allowed); statement k of L weighs 2^(L-k) and a state's score is the sum of the weights of the
statements it satisfies.
"""

from __future__ import annotations

import re
from collections import Counter
from enum import StrEnum
from typing import Any

import numpy as np
from pydantic import Field, field_validator, model_validator

from accord.scenario.base import EvidenceList, FrozenModel, Id, duplicate_ids

MAX_OPTIONS = 24
"""Largest number of options: feasibility enumerates all 2^m option vectors (16.8 M at 24)."""

MAX_RANKED_STATES = 4096
"""An explicit ranking lists every feasible state; beyond this, use a prioritisation."""

HELPER_KEYS = ("at_most_one_of", "exactly_one_of")


class Direction(StrEnum):
    """Irreversible options: ``forward`` can be taken but not undone; ``backward`` the reverse."""

    forward = "forward"
    backward = "backward"


# ---------------------------------------------------------------- prioritisation statements

Statement = tuple[Any, ...]
"""Parsed statement: ("opt", id) | ("not", s) | ("and", s, t) | ("or", s, t) | ("imp", s, t)
| ("iff", s, t)."""

_TOKEN = re.compile(r"\s*(<->|->|[&|()]|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*|-)")

_BINARY = {"->": "imp", "<->": "iff", "|": "or", "&": "and"}
_PRECEDENCE = {"->": 1, "<->": 1, "|": 2, "&": 3, "not": 4}
"""Implication and equivalence bind loosest (right-associative), then or, and, and not."""


def _short(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:40]}... ({len(text):,} characters)"


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError(
                f"cannot read statement '{_short(text)}' at '{_short(text[pos:])}': use option ids "
                "with - (not), & (and), | (or), -> (implies), <-> (iff) and parentheses"
            )
        tokens.append(match.group(1))
        pos = match.end()
    return tokens


def parse_statement(text: str) -> Statement:
    """Parse a prioritisation statement such as ``"-escalate & (blockade | air-strike)"``.

    An operator-precedence (shunting-yard) parser with explicit stacks, so statements nested
    thousands of levels deep are read without recursion, in time linear in their length.
    """
    tokens = _tokenize(text)
    if not tokens:
        raise ValueError("empty statement: give an option id, for example 'withdraw'")
    ops: list[str] = []
    vals: list[Statement] = []

    def reduce() -> None:
        op = ops.pop()
        if op == "not":
            vals.append(("not", vals.pop()))
        else:
            right = vals.pop()
            vals.append((_BINARY[op], vals.pop(), right))

    expect_operand = True
    for token in tokens:
        if expect_operand:
            if token == "-":
                ops.append("not")
            elif token == "(":
                ops.append("(")
            elif token in _BINARY or token == ")":
                raise ValueError(f"statement '{_short(text)}': unexpected '{token}'")
            else:
                vals.append(("opt", token))
                expect_operand = False
        elif token == ")":
            while ops and ops[-1] != "(":
                reduce()
            if not ops:
                raise ValueError(f"statement '{_short(text)}': unexpected ')'")
            ops.pop()
        elif token in _BINARY:
            prec = _PRECEDENCE[token]
            right_assoc = prec == 1
            while ops and ops[-1] != "(":
                top = _PRECEDENCE[ops[-1]]
                if top > prec or (top == prec and not right_assoc):
                    reduce()
                else:
                    break
            ops.append(token)
            expect_operand = True
        else:
            raise ValueError(f"statement '{_short(text)}': unexpected '{token}'")
    if expect_operand:
        raise ValueError(f"statement '{_short(text)}' ends too early")
    while ops:
        if ops[-1] == "(":
            raise ValueError(f"statement '{_short(text)}' ends too early: missing ')'")
        reduce()
    return vals[0]


def statement_options(tree: Statement) -> set[str]:
    """The option ids a parsed statement mentions (an explicit stack: no recursion)."""
    out: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if node[0] == "opt":
            out.add(node[1])
        else:
            stack.extend(node[1:])
    return out


def evaluate_statement(tree: Statement, bits: dict[str, np.ndarray]) -> np.ndarray:
    """Truth of a parsed statement for every state at once; ``bits[id]`` is a boolean array.

    Evaluated in post-order with an explicit stack, so deeply nested statements need no recursion.
    """
    results: list[np.ndarray] = []
    stack: list[tuple[Statement, bool]] = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        kind = node[0]
        if kind == "opt":
            results.append(bits[node[1]])
        elif not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node[1:]))
        elif kind == "not":
            results.append(~results.pop())
        else:
            b = results.pop()
            a = results.pop()
            if kind == "and":
                results.append(a & b)
            elif kind == "or":
                results.append(a | b)
            elif kind == "imp":
                results.append(~a | b)
            else:  # iff
                results.append(a == b)
    return results[0]


# ---------------------------------------------------------------- section model


class ConflictDecisionMaker(FrozenModel):
    """A decision maker and the options it controls (ids unique across the whole conflict)."""

    id: Id
    name: str = ""
    options: tuple[Id, ...] = Field(min_length=1)
    evidence: EvidenceList


class ConflictPreference(FrozenModel):
    """One decision maker's preferences: an explicit ranking or an option prioritisation.

    ``ranking`` lists feasible state numbers best first; an inner list is a tie. ``prioritization``
    lists statements most important first (Fang, Hipel, Kilgour & Peng 2003, §3).
    """

    ranking: tuple[int | tuple[int, ...], ...] | None = None
    prioritization: tuple[str, ...] | None = None
    evidence: EvidenceList

    @model_validator(mode="after")
    def _one_form(self) -> ConflictPreference:
        if (self.ranking is None) == (self.prioritization is None):
            raise ValueError(
                "give exactly one of 'ranking' (feasible state numbers, best first) or "
                "'prioritization' (statements, most important first)"
            )
        if self.prioritization is not None:
            if not self.prioritization:
                raise ValueError("prioritization: give at least one statement")
            for k, text in enumerate(self.prioritization):
                try:
                    parse_statement(text)
                except ValueError as exc:
                    raise ValueError(f"prioritization[{k}]: {exc}") from None
        return self

    def ranking_groups(self) -> list[tuple[int, ...]]:
        assert self.ranking is not None
        return [g if isinstance(g, tuple) else (g,) for g in self.ranking]


class ConflictPerception(ConflictPreference):
    """A first-level hypergame perception (Wang, Hipel & Fraser 1988, Behavioral Science 33:207):
    decision maker ``holder`` believes that ``about`` ranks the states as given here (a
    ``ranking`` or a ``prioritization``, as in ``preferences``) instead of its true preferences.
    """

    holder: Id
    about: Id


class ConflictSection(FrozenModel):
    """The ``conflict:`` section (see the module docstring for the file format)."""

    decision_makers: tuple[ConflictDecisionMaker, ...] = Field(min_length=2)
    infeasible: tuple[dict[str, bool | tuple[Id, ...]], ...] = ()
    irreversible: dict[str, Direction] = Field(default_factory=dict)
    preferences: dict[str, ConflictPreference]
    status_quo: dict[str, bool] | None = None
    perceptions: tuple[ConflictPerception, ...] = ()
    evidence: EvidenceList

    # -- derived views

    @property
    def option_ids(self) -> tuple[str, ...]:
        """All options in declaration order (option k is bit k of a state's code)."""
        return tuple(o for dm in self.decision_makers for o in dm.options)

    @property
    def dm_ids(self) -> tuple[str, ...]:
        return tuple(dm.id for dm in self.decision_makers)

    def option_bits(self, codes: np.ndarray) -> dict[str, np.ndarray]:
        """For each option, whether it is taken in each of the given state codes."""
        return {o: ((codes >> k) & 1).astype(bool) for k, o in enumerate(self.option_ids)}

    def feasible_codes(self) -> np.ndarray:
        """Decimal codes of the feasible states, increasing (state k+1 is element k)."""
        m = len(self.option_ids)
        codes = np.arange(1 << m, dtype=np.int64)
        bits = self.option_bits(codes)
        infeasible = np.zeros(codes.shape, dtype=bool)
        for rule in self.infeasible:
            for helper in HELPER_KEYS:
                if helper in rule:
                    members = rule[helper]
                    assert isinstance(members, tuple)
                    count = np.zeros(codes.shape, dtype=np.int64)
                    for o in members:
                        count += bits[o]
                    infeasible |= count > 1 if helper == "at_most_one_of" else count != 1
                    break
            else:
                match = np.ones(codes.shape, dtype=bool)
                for o, value in rule.items():
                    match &= bits[o] == bool(value)
                infeasible |= match
        return codes[~infeasible]

    def status_quo_code(self) -> int | None:
        if self.status_quo is None:
            return None
        return sum(1 << k for k, o in enumerate(self.option_ids) if self.status_quo[o])

    # -- validation

    @field_validator("infeasible")
    @classmethod
    def _rule_shapes(
        cls, rules: tuple[dict[str, bool | tuple[str, ...]], ...]
    ) -> tuple[dict[str, bool | tuple[str, ...]], ...]:
        for k, rule in enumerate(rules):
            helpers = [h for h in HELPER_KEYS if h in rule]
            if helpers:
                if len(rule) != 1:
                    raise ValueError(
                        f"infeasible[{k}]: write '{helpers[0]}' on its own entry, for example "
                        "{at_most_one_of: [a, b]}"
                    )
                if not isinstance(rule[helpers[0]], tuple) or len(rule[helpers[0]]) < 2:  # type: ignore[arg-type]
                    raise ValueError(f"infeasible[{k}].{helpers[0]}: list at least two options")
                continue
            if not rule:
                raise ValueError(f"infeasible[{k}]: give a partial assignment such as {{a: true}}")
            for key, value in rule.items():
                if not isinstance(value, bool):
                    raise ValueError(
                        f"infeasible[{k}].{key}: give true or false (or use at_most_one_of / "
                        "exactly_one_of with a list of options)"
                    )
        return rules

    @model_validator(mode="after")
    def _check(self) -> ConflictSection:
        dm_ids = self.dm_ids
        if duplicate_ids(dm_ids):  # compared without regard to case
            raise ValueError("decision_makers: decision maker ids must be unique")
        options = self.option_ids
        seen: set[str] = set()
        for o in options:
            if o.casefold() in seen:
                raise ValueError(
                    f"decision_makers: option '{o}' appears twice; each option belongs to "
                    "exactly one decision maker"
                )
            seen.add(o.casefold())
        if len(options) > MAX_OPTIONS:
            raise ValueError(
                f"decision_makers: {len(options)} options, at most {MAX_OPTIONS} are supported; "
                "merge options or split the conflict"
            )
        known = set(options)
        for k, rule in enumerate(self.infeasible):
            for key, value in rule.items():
                names = value if isinstance(value, tuple) else (key,)
                for o in names:
                    if o not in known:
                        raise ValueError(
                            f"infeasible[{k}]: unknown option '{o}'; known: {', '.join(options)}"
                        )
        for o in self.irreversible:
            if o not in known:
                raise ValueError(f"irreversible: unknown option '{o}'; known: {', '.join(options)}")
        missing = [d for d in dm_ids if d not in self.preferences]
        extra = [d for d in self.preferences if d not in dm_ids]
        if missing or extra:
            raise ValueError(
                "preferences: give one entry per decision maker"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(extra)}" if extra else "")
            )
        for dm, pref in self.preferences.items():
            for k, text in enumerate(pref.prioritization or ()):
                unknown = statement_options(parse_statement(text)) - known
                if unknown:
                    raise ValueError(
                        f"preferences.{dm}.prioritization[{k}]: unknown option "
                        f"'{sorted(unknown)[0]}'; known: {', '.join(options)}"
                    )
        from accord.budget import check_memory
        from accord.errors import EngineInputError

        m = len(self.option_ids)
        try:  # every state's option bits, counters and masks: about (m + 24) bytes a state
            check_memory(
                float(1 << m) * (m + 24),
                f"listing the {1 << m:,} states of {m} options",
                "use fewer options, or split the conflict into smaller ones",
            )
        except EngineInputError as exc:
            raise ValueError(str(exc)) from None
        codes = self.feasible_codes()
        if codes.size == 0:
            raise ValueError("infeasible: every state is infeasible; remove a rule")
        for dm, pref in self.preferences.items():
            if pref.ranking is not None:
                self._check_ranking(dm, pref, codes.size)
        pairs: set[tuple[str, str]] = set()
        for k, per in enumerate(self.perceptions):
            where = f"perceptions[{k}]"
            for key in ("holder", "about"):
                if getattr(per, key) not in dm_ids:
                    raise ValueError(
                        f"{where}.{key}: unknown decision maker '{getattr(per, key)}'; known: "
                        f"{', '.join(dm_ids)}"
                    )
            if per.holder == per.about:
                raise ValueError(
                    f"{where}: holder and about are both '{per.holder}'; a decision maker's own "
                    "preferences are its 'preferences' entry"
                )
            if (per.holder, per.about) in pairs:
                raise ValueError(
                    f"{where}: a second perception of {per.about} held by {per.holder}; give one"
                )
            pairs.add((per.holder, per.about))
            for j, text in enumerate(per.prioritization or ()):
                unknown = statement_options(parse_statement(text)) - known
                if unknown:
                    raise ValueError(
                        f"{where}.prioritization[{j}]: unknown option '{sorted(unknown)[0]}'; "
                        f"known: {', '.join(options)}"
                    )
            if per.ranking is not None:
                self._check_ranking(f"{per.about} (as {per.holder} sees it)", per, codes.size)
        if self.status_quo is not None:
            sq_missing = [o for o in options if o not in self.status_quo]
            sq_extra = [o for o in self.status_quo if o not in known]
            if sq_missing or sq_extra:
                raise ValueError(
                    "status_quo: give true/false for every option"
                    + (f"; missing {', '.join(sq_missing)}" if sq_missing else "")
                    + (f"; unknown {', '.join(sq_extra)}" if sq_extra else "")
                )
            if not np.isin(np.int64(self.status_quo_code() or 0), codes):
                raise ValueError("status_quo: this state is infeasible; check the infeasible rules")
        return self

    @staticmethod
    def _check_ranking(dm: str, pref: ConflictPreference, n: int) -> None:
        where = f"preferences.{dm}.ranking"
        if n > MAX_RANKED_STATES:
            raise ValueError(
                f"{where}: {n} feasible states are too many to rank; use prioritization"
            )
        listed = [s for group in pref.ranking_groups() for s in group]
        bad = [s for s in listed if not 1 <= s <= n]
        if bad:
            raise ValueError(f"{where}: state {bad[0]} does not exist; states are numbered 1..{n}")
        dupes = sorted(s for s, c in Counter(listed).items() if c > 1)  # linear, not list.count
        if dupes:
            raise ValueError(f"{where}: state {dupes[0]} is listed twice; list each state once")
        absent = sorted(set(range(1, n + 1)) - set(listed))
        if absent:
            raise ValueError(
                f"{where}: states {', '.join(map(str, absent[:10]))} are missing; rank all "
                f"{n} feasible states (ties as inner lists)"
            )

    def party_refs(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Decision makers are self-contained ids, not scenario parties: nothing to resolve."""
        return []
