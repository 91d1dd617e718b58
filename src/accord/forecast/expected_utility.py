"""Bueno de Mesquita's expected-utility model, vectorised over runs, actors and pairs.

The model (Bueno de Mesquita 1994, "Political forecasting: an expected utility method", in
*European Community Decision Making*, pp. 71-104) as replicated by Scholz, Calbert & Smith (2011,
"Unravelling Bueno de Mesquita's group decision model", J. Theoretical Politics 23(4), §§2-6 and
the appendix's steps 2-11). One round, for actors with capability ``c``, salience ``s`` and
position ``x`` on one dimension whose range ``Δ`` is fixed at the start:

1. *Votes.* Voter ``k`` gives position ``x_i`` over ``x_j`` the vote
   ``v_k(i, j) = c_k s_k ((|x_k − x_j|/Δ)^r_k − (|x_k − x_i|/Δ)^r_k)``.
2. *Win probability* ``P_ij``: the positive votes for ``x_i`` over ``x_j`` divided by a
   denominator that is the one place the two variants differ (see :class:`EUVariant`).
3. *Utilities,* from the point of view of an actor with risk exponent ``r``, for a challenge
   across distance ``d = |x_i − x_j|/Δ``: success ``2 − 4(½ − ½d)^r``, failure ``2 − 4(½ + ½d)^r``,
   status quo ``2 − 4(½)^r``. With ``Q = 1`` (the replication's setting) the "better/worse"
   terms vanish and ``EU_ij = s_j(P_ij U_s + (1 − P_ij) U_f) + (1 − s_j) U_s − U_sq``.
4. *Risk.* With every ``r = 1``, actor ``i``'s danger is ``Σ_{j≠i} EU_ji`` (how much the
   others gain by challenging it); ``R_i = (2 danger_i − max − min)/(max − min)`` compares the
   dangers across actors and ``r_i = (1 − R_i/3)/(1 + R_i/3)`` lies in [½, 2].
5. *Offers,* evaluated by the receiver ``i`` with its own ``r_i``: ``j``'s challenge is a
   confrontation when ``EU_ji > EU_ij > 0`` (``i`` moves to ``x_j``), a compromise when
   ``EU_ji > 0 > EU_ij`` and ``EU_ji > |EU_ij|`` (``i`` moves ``|EU_ij / EU_ji|`` of the way to
   ``x_j``), and a capitulation when ``EU_ji > 0 > EU_ij`` and ``EU_ji ≤ |EU_ij|`` (``i`` moves to
   ``x_j``). Actors at the same position make no offers to each other. All actors move at once.

Example:
    >>> import numpy as np
    >>> x = np.array([[0.0, 10.0, 4.0]]); c = np.array([[1.0, 1.0, 0.2]])
    >>> s = np.array([[0.5, 0.5, 0.5]])
    >>> step = eu_round(x, c, s, span=np.array([10.0]), variant=SCHOLZ)
    >>> step.positions.shape
    (1, 3)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

NO_OFFER = 0
CONFRONTATION = 1
COMPROMISE = 2
CAPITULATION = 3
OFFER_KINDS = {
    CONFRONTATION: "confrontation",
    COMPROMISE: "compromise",
    CAPITULATION: "capitulation",
}


@dataclass(frozen=True)
class EUVariant:
    """Which reading of the expected-utility model to run.

    ``scholz`` reproduces Scholz, Calbert & Smith's (2011) replication code with its quirks:

    * ``pair_probability=False``: ``P_ij`` divides the positive votes by the sum of the absolute
      votes of every actor over *all ordered pairs* of actors' positions, so probabilities are
      small and ``P_ij + P_ji`` is well below one;
    * ``capitulation=False``: the replication's capitulation test compares ``EU_ji`` with its own
      absolute value and so never fires;
    * ``least_move=False``: an actor takes the confrontation that moves it least; failing that, the
      compromise with the smallest ``(|EU_ij| x_i + |EU_ji| x_j)/(|EU_ij| + |EU_ji|)`` (a weighted
      position, not a distance).

    ``bdm`` follows the published equations step by step (the table in ``docs/models.md`` lists
    every difference from ``scholz`` with its source):

    * ``observed_range=True``: distances are divided by the range of the positions held *this*
      round (positions as defined by Bueno de Mesquita 1994, p. 77), not by the range fixed at
      the start;
    * ``security_risk=True``: actor i's risk comes from its own security: the others' expected
      gain from challenging i, ``Σ_{j≠i} E^j(U_ji)``, at i's actual position compared with its
      largest and smallest value over the positions i could hold, the positions on the table
      (the risk index R_i of Bueno de Mesquita 1985, APSR 79:156-177, carried into the
      forecasting chapter of 1994, pp. 71-104). The others' utilities use the exponents of the
      previous round (risk neutral in round 1) instead of r = 1 throughout;
    * ``pair_probability=True``: ``P_ij`` divides the votes for x_i over x_j by the absolute
      votes on that pair (the probability of success of the 1994 chapter), so
      ``P_ij + P_ji = 1``;
    * ``capitulation=True`` and ``least_move=True``: the offer taxonomy (conflict, compromise,
      capitulation) of the 1994 chapter, with each actor taking the offer that asks the
      smallest move of it.

    Page numbers inside the chapter other than pp. 77-78 (the EC data) could not be checked
    against the text from this repository; ``docs/models.md`` says which are verified and
    states Accord's readings where the text leaves a choice.
    """

    name: str
    pair_probability: bool
    capitulation: bool
    least_move: bool
    observed_range: bool = False
    security_risk: bool = False


SCHOLZ = EUVariant("scholz", pair_probability=False, capitulation=False, least_move=False)
BDM = EUVariant(
    "bdm",
    pair_probability=True,
    capitulation=True,
    least_move=True,
    observed_range=True,
    security_risk=True,
)
VARIANTS = {v.name: v for v in (SCHOLZ, BDM)}


@dataclass(frozen=True)
class EURound:
    """One round for a batch of ``B`` runs of ``n`` actors (arrays lead with the run axis).

    ``risk`` (B, n): risk exponents used this round; ``offer_kind`` (B, n): the offer each actor
    accepted (0 none, 1 confrontation, 2 compromise, 3 capitulation); ``offer_from`` (B, n): the
    index of the actor whose offer it accepted (−1 for none); ``positions`` (B, n): positions after
    the round.
    """

    risk: FloatArray
    offer_kind: IntArray
    offer_from: IntArray
    positions: FloatArray


def _normalised_distances(x: FloatArray, span: FloatArray) -> FloatArray:
    """``|x_a − x_b| / Δ`` for every pair, shape (B, n, n)."""
    return np.abs(x[:, :, None] - x[:, None, :]) / span[:, None, None]


def win_probabilities(
    x: FloatArray,
    c: FloatArray,
    s: FloatArray,
    risk: FloatArray,
    span: FloatArray,
    pair_probability: bool,
) -> FloatArray:
    """``P[b, i, j]``: the probability that ``x_i`` beats ``x_j`` (0 when they coincide).

    Each voter's distances are raised to the voter's own risk exponent, so the vote tensor is
    ``w_k (D_kj − D_ki)`` with ``D = (|x_k − x_a|/Δ)^r_k`` (only O(n²) powers, O(n³) differences).
    """
    dist = _normalised_distances(x, span) ** risk[:, :, None]  # (B, k, a)
    weight = (c * s)[:, :, None, None]
    votes = weight * (dist[:, :, None, :] - dist[:, :, :, None])  # (B, k, i, j): i over j
    positive = np.maximum(votes, 0.0).sum(axis=1)
    if pair_probability:
        denominator = np.abs(votes).sum(axis=1)
    else:
        denominator = np.broadcast_to(
            np.abs(votes).sum(axis=(1, 2, 3))[:, None, None], positive.shape
        )
    same = x[:, :, None] == x[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        prob = np.where(
            denominator > 0, positive / np.where(denominator > 0, denominator, 1.0), 0.0
        )
    return np.where(same, 0.0, prob)


def challenge_utility(
    prob: FloatArray, target_salience: FloatArray, dist: FloatArray, risk: FloatArray | float
) -> FloatArray:
    """Expected utility of a challenge across normalised distance ``dist`` (Q = 1).

    ``EU = s_t (P U_s + (1 − P) U_f) + (1 − s_t) U_s − U_sq`` with the utilities of step 3 in the
    module docstring; ``risk`` is the exponent of the actor whose view is taken.
    """
    success = 2.0 - 4.0 * (0.5 - 0.5 * dist) ** risk
    failure = 2.0 - 4.0 * (0.5 + 0.5 * dist) ** risk
    status_quo = 2.0 - 4.0 * 0.5**risk
    return (
        target_salience * (prob * success + (1.0 - prob) * failure)
        + (1.0 - target_salience) * success
        - status_quo
    )


def risk_exponents(
    x: FloatArray, c: FloatArray, s: FloatArray, span: FloatArray, pair_probability: bool
) -> FloatArray:
    """Risk exponents ``r_i = (1 − R_i/3)/(1 + R_i/3)`` from dangers computed with every r = 1.

    When every actor faces the same danger the comparison is undefined; we then take ``R = 0``
    (``r = 1``, risk neutral) rather than divide by zero.
    """
    ones = np.ones_like(x)
    prob = win_probabilities(x, c, s, ones, span, pair_probability)
    dist = _normalised_distances(x, span)
    # eu[b, i, j]: i challenges j; the target's salience is s_j.
    eu = challenge_utility(prob, s[:, None, :], dist, 1.0)
    n = x.shape[1]
    eu = np.where(np.eye(n, dtype=bool)[None], 0.0, eu)
    danger = eu.sum(axis=1)  # danger_j = Σ_{i≠j} EU_ij
    hi = danger.max(axis=1, keepdims=True)
    lo = danger.min(axis=1, keepdims=True)
    spread = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(spread > 0, (2.0 * danger - hi - lo) / np.where(spread > 0, spread, 1), 0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def security_risk_exponents(
    x: FloatArray, c: FloatArray, s: FloatArray, span: FloatArray, prior: FloatArray
) -> FloatArray:
    """Published risk exponents: each actor's security over the positions it could hold.

    Bueno de Mesquita (1985, APSR 79:156-177, the risk index): with ``E^j(U_ji)`` the expected
    utility of j challenging i (judged by j with its exponent ``prior_j``),
    ``danger_i(y) = Σ_{j≠i} E^j(U_ji)`` with i placed at y and everyone else where they are,

        R_i = (2 danger_i(x_i) − max_y danger_i(y) − min_y danger_i(y))
              / (max_y danger_i(y) − min_y danger_i(y)),

    over the candidate positions y ∈ {x_1, …, x_n}; ``r_i = (1 − R_i/3)/(1 + R_i/3)``. An actor
    whose danger does not depend on where it stands is risk neutral (R_i = 0).
    """
    n_runs, n = x.shape
    danger = np.empty((n_runs, n, n))  # [b, i, candidate]
    others = ~np.eye(n, dtype=bool)
    # every candidate y at once: row (b, y) of the stacked batch has x_i replaced by x_y
    rep = lambda a: np.repeat(a, n, axis=0)  # noqa: E731 - (B, n) -> (B·n, n), rows b-major
    c_rep, s_rep, prior_rep = rep(c), rep(s), rep(prior)
    span_rep = np.repeat(span, n)
    for i in range(n):
        moved = rep(x)
        moved[:, i] = x.reshape(-1)  # row b·n + y gets x[b, y]
        prob = win_probabilities(moved, c_rep, s_rep, prior_rep, span_rep, True)
        dist = _normalised_distances(moved, span_rep)
        # eu[row, j]: j challenges i, judged by j with its own exponent
        eu = challenge_utility(prob[:, :, i], s_rep[:, i][:, None], dist[:, :, i], prior_rep)
        total = np.where(others[i][None, :], eu, 0.0).sum(axis=1)
        danger[:, i, :] = total.reshape(n_runs, n)
    at = danger[:, np.arange(n), np.arange(n)]
    hi, lo = danger.max(axis=2), danger.min(axis=2)
    spread = hi - lo
    tol = 1e-12 * np.maximum(1.0, np.abs(hi))
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(spread > tol, (2.0 * at - hi - lo) / np.where(spread > tol, spread, 1), 0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def eu_round(
    x: FloatArray,
    c: FloatArray,
    s: FloatArray,
    span: FloatArray,
    variant: EUVariant,
    prior_risk: FloatArray | None = None,
) -> EURound:
    """Play one round for every run in the batch; see the module docstring for the model.

    ``prior_risk`` (B, n) are the previous round's exponents, used only by the published risk
    (``variant.security_risk``); None means risk neutral (round 1).
    """
    x = np.asarray(x, dtype=np.float64)
    n_runs, n = x.shape
    if variant.observed_range:
        observed = x.max(axis=1) - x.min(axis=1)
        span = np.where(observed > 0, observed, 1.0)
    if variant.security_risk:
        prior = np.ones_like(x) if prior_risk is None else np.asarray(prior_risk, dtype=float)
        risk = security_risk_exponents(x, c, s, span, prior)
    else:
        risk = risk_exponents(x, c, s, span, variant.pair_probability)
    prob = win_probabilities(x, c, s, risk, span, variant.pair_probability)
    dist = _normalised_distances(x, span)
    r_recv = risk[:, :, None]  # the receiver i judges every offer with its own exponent
    eu_ij = challenge_utility(prob, s[:, None, :], dist, r_recv)  # i challenges j
    eu_ji = challenge_utility(
        np.swapaxes(prob, 1, 2), s[:, :, None], dist, r_recv
    )  # j challenges i

    eligible = x[:, :, None] != x[:, None, :]  # also excludes i == j
    confront = eligible & (eu_ji > eu_ij) & (eu_ij > 0)
    weaker = eligible & (eu_ji > 0) & (eu_ij < 0)
    compromise = weaker & (eu_ji > np.abs(eu_ij))
    capitulate = weaker & (eu_ji <= np.abs(eu_ij)) & variant.capitulation

    xi = np.broadcast_to(x[:, :, None], eu_ij.shape)
    xj = np.broadcast_to(x[:, None, :], eu_ij.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        compromise_to = xi + (xj - xi) * np.abs(eu_ij / eu_ji)
    target = np.where(compromise, compromise_to, xj)
    kind = np.where(
        confront,
        CONFRONTATION,
        np.where(compromise, COMPROMISE, np.where(capitulate, CAPITULATION, NO_OFFER)),
    )
    has_offer = kind != NO_OFFER
    move = np.abs(target - xi)

    if variant.least_move:
        key = np.where(has_offer, move, np.inf)
    else:
        # Confrontations first (least move); else compromises ranked by the replication's
        # weighted position. Offset confrontation keys below every compromise key.
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = (np.abs(eu_ij) * xi + np.abs(eu_ji) * xj) / (np.abs(eu_ij) + np.abs(eu_ji))
        key = np.full(eu_ij.shape, np.inf)
        key = np.where(compromise, weighted, key)
        any_confront = confront.any(axis=2, keepdims=True)
        key = np.where(any_confront, np.where(confront, move, np.inf), key)
    chosen = np.argmin(key, axis=2)  # argmin takes the first minimum: ties go to the earlier actor
    rows = np.arange(n_runs)[:, None]
    cols = np.arange(n)[None, :]
    accepted = np.isfinite(key[rows, cols, chosen])
    new_x = np.where(accepted, target[rows, cols, chosen], x)
    offer_kind = np.where(accepted, kind[rows, cols, chosen], NO_OFFER).astype(np.int64)
    offer_from = np.where(accepted, chosen, -1).astype(np.int64)
    return EURound(risk=risk, offer_kind=offer_kind, offer_from=offer_from, positions=new_x)


def eu_rounds(
    x: FloatArray,
    c: FloatArray,
    s: FloatArray,
    rounds: int,
    variant: EUVariant,
    span: FloatArray | None = None,
) -> list[EURound]:
    """Play ``rounds`` rounds on a batch (arrays of shape (B, n)).

    ``scholz`` fixes the range at the start; ``bdm`` re-reads it from the positions each round.

    Runs whose positions have stopped moving are simply replayed (the model is deterministic, so
    they stay put); callers that want early stopping check ``positions`` between rounds.
    """
    x = np.asarray(x, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    if span is None:
        span = x.max(axis=1) - x.min(axis=1)
    # A run whose actors all agree has nothing to negotiate; a unit span avoids 0/0 and, with
    # every pair at the same position, no offer is made.
    span = np.where(span > 0, span, 1.0)
    out: list[EURound] = []
    for _ in range(rounds):
        step = eu_round(x, c, s, span, variant, out[-1].risk if out else None)
        out.append(step)
        x = step.positions
    return out
