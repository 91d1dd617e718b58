"""The scalar engine: one negotiation at a time, readable, with the full offer trace.

Protocol — alternating offers (Rubinstein 1982; Osborne & Rubinstein 1990, *Bargaining and
Markets*, ch. 3); for more than two parties, a round-robin variant of the stacked alternating
offers protocol of Aydoğan et al. (2017), *Alternating offers protocols for multilateral
negotiation*, §3 (there the agent that rejects makes the next offer; here the proposer rotates in a
fixed order, which is the same thing for two parties):

* Rounds t = 0, 1, …, T − 1 (reported 1-based). In round t party (opener + t) mod n proposes an
  outcome; the others answer in turn order. The offer is agreed when every one of them accepts;
  the first rejection ends the round.
* Walking away in round t is worth w_i(t): δ_i^t·r_i(t) under the default discounting convention
  (walk-away values discounted along with deals, as in GENIUS/ANAC), r_i(t) under
  ``deals-only``; r_i(t) follows the outside-option schedule (:class:`NegotiationSetup`, whose
  docstring documents both conventions).
* The proposer walks away instead of proposing when walking away is worth more than its own
  offer, discounted: w_i(t) > δ_i^t · u_i(offer). A responder that rejects walks away when w_i(t)
  exceeds the discounted value of what it would propose at its next turn.
* A responder accepts when δ_i^t·u_i(offer) ≥ w_i(t) and, if it has a next turn t′ < T,
  δ_i^t·u_i(offer) ≥ δ_i^t′·u_i(its planned offer at t′) (AC_next).
* Payoffs: δ_i^t·u_i(agreement) after agreement in round t; otherwise w_i(t) in the round t in
  which the talks ended (t = T − 1 at the deadline).
* The strategies see their own undiscounted walk-away value r_i(t) and their beliefs about the
  others, never the others' true utilities (:class:`~accord.simulation.strategies.PartyView`).

Example::

    >>> import numpy as np
    >>> from accord.simulation.strategies import parse_strategy
    >>> u = np.array([[1.0, 0.0], [0.6, 0.4], [0.4, 0.6], [0.0, 1.0]])
    >>> setup = NegotiationSetup.create(u, deadline=10)
    >>> trace = negotiate(setup, [parse_strategy("linear"), parse_strategy("linear")])
    >>> trace.agreement, trace.round
    (2, 6)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from accord.budget import check_memory
from accord.simulation.results import (
    END_AGREEMENT,
    END_DEADLINE,
    END_WALK_AWAY,
    BatchResult,
    NegotiationTrace,
    Offer,
)
from accord.simulation.setup import NegotiationSetup, negotiation_draws
from accord.simulation.strategies import PartyView, Strategy, StrategySpec
from accord.simulation.streams import stream_uniforms


def negotiate(
    setup: NegotiationSetup,
    strategies: Sequence[StrategySpec | Strategy],
    draws: np.ndarray | None = None,
    seed: int | None = None,
) -> NegotiationTrace:
    """Play one negotiation; ``draws`` (n_parties, deadline) feed stochastic strategies.

    Without ``draws``, they come from run 0 of ``seed`` (default 0), as in :func:`simulate_scalar`.
    """
    n_parties, deadline = setup.n_parties, setup.deadline
    if len(strategies) != n_parties:
        raise ValueError(f"give one strategy per party ({n_parties}), got {len(strategies)}")
    if draws is None:
        draws = negotiation_draws(seed or 0, 1, n_parties, deadline)[0]
    agents = [s.create() if isinstance(s, StrategySpec) else s for s in strategies]
    for i, agent in enumerate(agents):
        agent.reset(PartyView(i, setup, draws[i]))
    u = setup.utilities
    res = setup.reservation_schedule  # what the strategies see (undiscounted)
    walk = setup.walkaway  # what walking away is worth (the setup's discounting convention)
    disc = setup.discount_powers
    offers: list[Offer] = []

    def finish(outcome: int, t: int, end: int, walker: int) -> NegotiationTrace:
        if outcome >= 0:
            payoff = tuple(float(disc[i, t] * u[outcome, i]) for i in range(n_parties))
        else:
            payoff = tuple(float(walk[i, t]) for i in range(n_parties))
        return NegotiationTrace(
            agreement=outcome,
            round=t + 1,
            end=end,
            walked_away=walker,
            utilities=payoff,
            offers=tuple(offers),
            strategies=tuple(a.info.name for a in agents),
            seed=seed,
        )

    for t in range(deadline):
        proposer = (setup.opener + t) % n_parties
        outcome = agents[proposer].offer(t, float(res[proposer, t]))
        offer_utils = tuple(float(x) for x in u[outcome])
        if walk[proposer, t] > disc[proposer, t] * u[outcome, proposer]:
            return finish(-1, t, END_WALK_AWAY, proposer)
        agents[proposer].proposed(t, outcome)
        for j in range(n_parties):
            if j != proposer:
                agents[j].observe(t, proposer, outcome)
        responses: list[tuple[int, str]] = []
        for step in range(1, n_parties):
            j = (proposer + step) % n_parties
            value_now = disc[j, t] * u[outcome, j]
            next_turn = t + step  # j proposes `step` rounds after this proposer
            accept = value_now >= walk[j, t]
            plan_value = -np.inf
            if next_turn < deadline:
                plan = agents[j].offer(next_turn, float(res[j, t]))
                plan_value = disc[j, next_turn] * u[plan, j]
                accept = accept and value_now >= plan_value
            if accept:
                responses.append((j, "accept"))
                continue
            if next_turn < deadline and walk[j, t] > plan_value:
                responses.append((j, "walk-away"))
                offers.append(Offer(t + 1, proposer, outcome, offer_utils, tuple(responses)))
                return finish(-1, t, END_WALK_AWAY, j)
            responses.append((j, "reject"))
            break
        offers.append(Offer(t + 1, proposer, outcome, offer_utils, tuple(responses)))
        if len(responses) == n_parties - 1 and responses[-1][1] == "accept":
            return finish(outcome, t, END_AGREEMENT, -1)
    return finish(-1, deadline - 1, END_DEADLINE, -1)


def simulate_scalar(
    setup: NegotiationSetup,
    strategies: Sequence[StrategySpec],
    runs: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    *,
    budget: int | None = None,
) -> BatchResult:
    """Play ``runs`` negotiations one by one (run k uses stream k of ``seed``).

    Each run's draws are made when it starts and its trace is reduced to the result's row when it
    ends, so memory does not grow with runs × deadline (issue 19); the outputs' estimate is
    checked against the memory budget first (``budget`` in bytes, else :mod:`accord.budget`).
    """
    p, deadline = setup.n_parties, setup.deadline
    # Outputs, one run's draws, and one trace (an Offer of a few hundred bytes per round).
    estimate = runs * (3 * 8 + 1 + 8 * p) + 8 * p * deadline + 512 * deadline
    check_memory(
        estimate,
        f"simulating {runs:,} negotiation(s) of up to {deadline:,} rounds one by one (a strategy "
        "without a batch branch)",
        f"Lower the number of runs (now {runs:,}) or the deadline (now {deadline:,})",
        budget=budget,
    )
    agreement = np.empty(runs, np.int64)
    rounds = np.empty(runs, np.int64)
    end = np.empty(runs, np.int8)
    walker = np.empty(runs, np.int64)
    utilities = np.empty((runs, p))
    for k in range(runs):
        draws = stream_uniforms(seed, k, k + 1, p, deadline)[0]
        trace = negotiate(setup, strategies, draws, seed)
        agreement[k], rounds[k], end[k], walker[k] = (
            trace.agreement, trace.round, trace.end, trace.walked_away,
        )  # fmt: skip
        utilities[k] = trace.utilities
        if progress is not None:
            progress(1)
    return BatchResult(
        agreement=agreement,
        rounds=rounds,
        end=end,
        walked_away=walker,
        utilities=utilities,
        strategies=tuple(str(s) for s in strategies),
        seed=seed,
        engine="scalar",
    )


def traces_to_result(
    traces: Sequence[NegotiationTrace], strategies: tuple[str, ...], seed: int
) -> BatchResult:
    """Collect scalar traces into the arrays the batch engine returns."""
    return BatchResult(
        agreement=np.array([t.agreement for t in traces], dtype=np.int64),
        rounds=np.array([t.round for t in traces], dtype=np.int64),
        end=np.array([t.end for t in traces], dtype=np.int8),
        walked_away=np.array([t.walked_away for t in traces], dtype=np.int64),
        utilities=np.array([t.utilities for t in traces], dtype=np.float64).reshape(
            len(traces), -1
        ),
        strategies=strategies,
        seed=seed,
        engine="scalar",
    )
