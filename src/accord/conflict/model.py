"""The array form of a graph model that the stability engine works on.

A :class:`ConflictModel` holds the feasible states as decimal codes (option k is bit k, option 0
the least significant bit; Fang, Hipel & Kilgour 1993, ch. 2), which options each decision maker
controls, the irreversibility masks and one integer payoff per decision maker and state (higher is
better; only the order matters, ties are equal preference).

Example:
    >>> import numpy as np
    >>> m = ConflictModel.build(
    ...     dm_ids=("a", "b"), option_ids=("a-defect", "b-defect"), option_owner=(0, 1),
    ...     codes=np.arange(4), payoff=np.array([[3, 4, 1, 2], [3, 1, 4, 2]]))
    >>> m.n_states, m.dm_masks
    (4, (1, 2))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.budget import check_memory
from accord.errors import EngineInputError
from accord.scenario.conflict import (
    ConflictPreference,
    ConflictSection,
    Direction,
    evaluate_statement,
    parse_statement,
)

EDGE_BYTES_KEPT = 32
"""Bytes held per candidate unilateral move: source and destination (int64) of the move list and
of the improvement list, which all decision makers' lists keep for the whole analysis."""
EDGE_BYTES_BUILDING = 64
"""Transient bytes per candidate move of the decision maker whose list is being built (block
positions, sources, destinations, codes and masks of every candidate pair)."""
STATE_BYTES_PER_DM = 64
"""Bytes per state and decision maker: payoffs and the legal-sequence minima (values, first
moves, their sort order and the next iterate, all (decision makers, states) arrays)."""


def analysis_bytes(n_states: int, options_per_dm: tuple[int, ...]) -> float:
    """Upper bound of the stability analysis's peak memory for ``n_states`` feasible states.

    A decision maker with k options has at most ``n_states · 2^k`` candidate moves (every state
    paired with each state of its group; infeasibility only removes some).
    """
    n = float(n_states)
    candidates = [n * 2.0**k for k in options_per_dm]
    kept = EDGE_BYTES_KEPT * sum(candidates)
    building = EDGE_BYTES_BUILDING * max(candidates, default=0.0)
    return kept + building + STATE_BYTES_PER_DM * n * len(options_per_dm)


def model_bytes(n_options: int, n_dms: int) -> float:
    """Upper bound of :func:`model_from_section`'s peak: one bit column per option over all
    2^m codes, the codes, two int64 temporaries of the rules and statements, the payoffs."""
    states = 2.0**n_options
    return states * (n_options + 8 + 16 + 8 * n_dms)


def check_analysis_memory(
    n_states: int, options_per_dm: tuple[int, ...], dm_ids: tuple[str, ...]
) -> None:
    """Refuse (EngineInputError) a conflict whose analysis would exceed the memory budget."""
    check_memory(
        analysis_bytes(n_states, options_per_dm),
        f"the stability analysis of {n_states:,} states × {len(dm_ids)} decision makers "
        f"({sum(options_per_dm)} options)",
        "Add infeasibility rules, merge options or leave out decision makers",
    )


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class ConflictModel:
    """Feasible states, control of options, irreversibility and payoffs of a graph model."""

    dm_ids: tuple[str, ...]
    option_ids: tuple[str, ...]
    option_owner: tuple[int, ...]
    codes: np.ndarray  # (n,) int64, strictly increasing
    payoff: np.ndarray  # (n_dm, n) int64, higher = more preferred
    forward_mask: int = 0  # options that can be taken but not undone
    backward_mask: int = 0  # options that can be undone but not retaken
    status_quo: int | None = None  # index of the status-quo state

    @staticmethod
    def build(
        *,
        dm_ids: tuple[str, ...],
        option_ids: tuple[str, ...],
        option_owner: tuple[int, ...],
        codes: np.ndarray,
        payoff: np.ndarray,
        forward_mask: int = 0,
        backward_mask: int = 0,
        status_quo: int | None = None,
    ) -> ConflictModel:
        """Check shapes and freeze the arrays."""
        codes = np.asarray(codes, dtype=np.int64)
        payoff = np.asarray(payoff, dtype=np.int64)
        if len(option_owner) != len(option_ids):
            raise EngineInputError("conflict: one owner per option is needed")
        if codes.ndim != 1 or codes.size == 0 or np.any(np.diff(codes) <= 0):
            raise EngineInputError("conflict: feasible codes must be non-empty and increasing")
        if payoff.shape != (len(dm_ids), codes.size):
            raise EngineInputError(
                f"conflict: payoff must have shape (decision makers, states) = "
                f"({len(dm_ids)}, {codes.size}), got {payoff.shape}"
            )
        if sorted(set(option_owner)) != list(range(len(dm_ids))):
            raise EngineInputError("conflict: every decision maker must control an option")
        return ConflictModel(
            dm_ids=tuple(dm_ids),
            option_ids=tuple(option_ids),
            option_owner=tuple(int(o) for o in option_owner),
            codes=_frozen(codes),
            payoff=_frozen(payoff),
            forward_mask=int(forward_mask),
            backward_mask=int(backward_mask),
            status_quo=status_quo,
        )

    @property
    def n_states(self) -> int:
        return int(self.codes.size)

    @property
    def n_dms(self) -> int:
        return len(self.dm_ids)

    @property
    def dm_masks(self) -> tuple[int, ...]:
        """Bit mask of the options each decision maker controls."""
        masks = [0] * self.n_dms
        for k, owner in enumerate(self.option_owner):
            masks[owner] |= 1 << k
        return tuple(masks)

    def state_options(self, index: int) -> dict[str, bool]:
        code = int(self.codes[index])
        return {o: bool((code >> k) & 1) for k, o in enumerate(self.option_ids)}

    def yn(self, index: int) -> str:
        """The state's option column as Y/N letters, option 0 first."""
        code = int(self.codes[index])
        return "".join("Y" if (code >> k) & 1 else "N" for k in range(len(self.option_ids)))

    def dm_index(self, dm: str) -> int:
        try:
            return self.dm_ids.index(dm)
        except ValueError:
            raise EngineInputError(
                f"unknown decision maker '{dm}'; known: {', '.join(self.dm_ids)}"
            ) from None


def prioritization_scores(statements: list[str], bits: dict[str, np.ndarray]) -> np.ndarray:
    """Option prioritisation (Fang, Hipel, Kilgour & Peng 2003, §3): statement k of L (1-based)
    weighs 2^(L-k); a state's score is the sum of the weights of the statements it satisfies.

    >>> bits = {"x": np.array([False, True]), "y": np.array([True, True])}
    >>> prioritization_scores(["x", "-y"], bits).tolist()
    [0, 2]
    """
    n_statements = len(statements)
    if n_statements > 62:
        raise EngineInputError("prioritization: at most 62 statements (weights are 2^(L-k))")
    size = next(iter(bits.values())).shape
    score = np.zeros(size, dtype=np.int64)
    for k, text in enumerate(statements, start=1):
        holds = evaluate_statement(parse_statement(text), bits)
        score += holds.astype(np.int64) << (n_statements - k)
    return score


def ranking_payoff(groups: list[tuple[int, ...]], n: int) -> np.ndarray:
    """Payoffs from an explicit ranking (best first; ties share a payoff): best gets len(groups)."""
    payoff = np.zeros(n, dtype=np.int64)
    for rank, group in enumerate(groups):
        for number in group:
            payoff[number - 1] = len(groups) - rank
    return payoff


def preference_payoff(pref: ConflictPreference, bits: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Payoff over the feasible states from a ranking or a prioritisation."""
    if pref.prioritization is not None:
        return prioritization_scores(list(pref.prioritization), bits)
    return ranking_payoff(pref.ranking_groups(), n)


def perceptions_from_section(section: ConflictSection) -> dict[tuple[int, int], np.ndarray]:
    """The ``perceptions:`` entries as (holder index, about index) -> believed payoff."""
    codes = section.feasible_codes()
    bits = section.option_bits(codes)
    ids = section.dm_ids
    return {
        (ids.index(p.holder), ids.index(p.about)): preference_payoff(p, bits, codes.size)
        for p in section.perceptions
    }


def model_from_section(section: ConflictSection) -> ConflictModel:
    """The array form of a validated ``conflict:`` section (refuses over the memory budget)."""
    m, k = len(section.option_ids), len(section.decision_makers)
    per_dm = tuple(len(dm.options) for dm in section.decision_makers)
    # Refuse before anything is built (accord.budget). Without infeasibility rules every state is
    # feasible, so the analysis's own estimate is exact already; otherwise it waits for the codes.
    if not section.infeasible:
        check_analysis_memory(1 << m, per_dm, section.dm_ids)
    check_memory(
        model_bytes(m, k),
        f"building the graph model of {1 << m:,} candidate states × {k} decision makers",
        "Merge options or leave out decision makers",
    )
    codes = section.feasible_codes()
    check_analysis_memory(int(codes.size), per_dm, section.dm_ids)
    bits = section.option_bits(codes)
    owner = tuple(d for d, dm in enumerate(section.decision_makers) for _ in dm.options)
    payoff = np.zeros((len(section.decision_makers), codes.size), dtype=np.int64)
    for d, dm in enumerate(section.decision_makers):
        payoff[d] = preference_payoff(section.preferences[dm.id], bits, codes.size)
    forward = backward = 0
    for k, o in enumerate(section.option_ids):
        direction = section.irreversible.get(o)
        if direction is Direction.forward:
            forward |= 1 << k
        elif direction is Direction.backward:
            backward |= 1 << k
    sq_code = section.status_quo_code()
    sq = None if sq_code is None else int(np.searchsorted(codes, sq_code))
    return ConflictModel.build(
        dm_ids=section.dm_ids,
        option_ids=section.option_ids,
        option_owner=owner,
        codes=codes,
        payoff=payoff,
        forward_mask=forward,
        backward_mask=backward,
        status_quo=sq,
    )
