"""Plain-loop reference implementation of the expected-utility model, for testing the fast one.

It follows the definitions of Scholz, Calbert & Smith (2011, §§2-6) one actor and one pair at a
time, with no arrays, so that each line can be checked against the paper. The vectorised engine in
:mod:`accord.forecast.expected_utility` must agree with it.

Example:
    >>> moves = reference_round([0.0, 10.0, 4.0], [1.0, 1.0, 0.2], [0.5, 0.5, 0.5], 10.0, "scholz")
    >>> len(moves.positions)
    3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Seq = Sequence[float]


@dataclass(frozen=True)
class ReferenceRound:
    risk: tuple[float, ...]
    offer_kind: tuple[str | None, ...]
    offer_from: tuple[int | None, ...]
    positions: tuple[float, ...]


def _vote(k: int, xi: float, xj: float, x: Seq, c: Seq, s: Seq, r: Seq, span: float) -> float:
    """Voter k's vote for position xi over xj."""
    far_j = (abs(x[k] - xj) / span) ** r[k]
    far_i = (abs(x[k] - xi) / span) ** r[k]
    return c[k] * s[k] * (far_j - far_i)


def _probability(i: int, j: int, x: Seq, c: Seq, s: Seq, r: Seq, span: float, pair: bool) -> float:
    if x[i] == x[j]:
        return 0.0
    n = len(x)
    top = sum(max(0.0, _vote(k, x[i], x[j], x, c, s, r, span)) for k in range(n))
    if pair:
        bottom = sum(abs(_vote(k, x[i], x[j], x, c, s, r, span)) for k in range(n))
    else:
        bottom = sum(
            abs(_vote(k, x[a], x[b], x, c, s, r, span))
            for k in range(n)
            for a in range(n)
            for b in range(n)
        )
    return top / bottom if bottom > 0 else 0.0


def _eu(
    challenger: int,
    target: int,
    viewer_r: float,
    x: Seq,
    c: Seq,
    s: Seq,
    r: Seq,
    span: float,
    pair: bool,
) -> float:
    """Expected utility of `challenger` challenging `target`, judged with exponent viewer_r."""
    d = abs(x[challenger] - x[target]) / span
    success = 2 - 4 * (0.5 - 0.5 * d) ** viewer_r
    failure = 2 - 4 * (0.5 + 0.5 * d) ** viewer_r
    status_quo = 2 - 4 * 0.5**viewer_r
    p = _probability(challenger, target, x, c, s, r, span, pair)
    st = s[target]
    return st * (p * success + (1 - p) * failure) + (1 - st) * success - status_quo


def _security_risk(x: Seq, c: Seq, s: Seq, span: float, prior: Seq) -> list[float]:
    """Published risk (see accord.forecast.expected_utility.security_risk_exponents): actor i's
    danger at its own position against the largest and smallest over the positions on the table.
    """
    n = len(x)
    r = []
    for i in range(n):
        danger = []
        for y in range(n):
            moved = list(x)
            moved[i] = x[y]
            danger.append(
                sum(_eu(j, i, prior[j], moved, c, s, prior, span, True) for j in range(n) if j != i)
            )
        hi, lo = max(danger), min(danger)
        big_r = (2 * danger[i] - hi - lo) / (hi - lo) if hi - lo > 1e-12 * max(1, abs(hi)) else 0
        r.append((1 - big_r / 3) / (1 + big_r / 3))
    return r


def reference_round(
    x: Seq, c: Seq, s: Seq, span: float, variant: str, prior: Seq | None = None
) -> ReferenceRound:
    """One round of the ``scholz`` or ``bdm`` variant, written as loops.

    For ``bdm`` the range is the one observed in ``x`` and ``prior`` holds the previous round's
    risk exponents (None: risk neutral).
    """
    pair = variant == "bdm"
    n = len(x)
    if pair:
        span = (max(x) - min(x)) or 1.0
        r = _security_risk(x, c, s, span, list(prior) if prior is not None else [1.0] * n)
    else:
        ones = [1.0] * n
        danger = [
            sum(_eu(j, i, 1.0, x, c, s, ones, span, pair) for j in range(n) if j != i)
            for i in range(n)
        ]
        hi, lo = max(danger), min(danger)
        r = []
        for i in range(n):
            big_r = (2 * danger[i] - hi - lo) / (hi - lo) if hi > lo else 0.0
            r.append((1 - big_r / 3) / (1 + big_r / 3))

    new_x = list(x)
    kinds: list[str | None] = [None] * n
    froms: list[int | None] = [None] * n
    for i in range(n):
        offers = []  # (kind, sender, new position, eu_ij, eu_ji)
        for j in range(n):
            if j == i or x[i] == x[j]:
                continue
            eu_ij = _eu(i, j, r[i], x, c, s, r, span, pair)
            eu_ji = _eu(j, i, r[i], x, c, s, r, span, pair)
            if eu_ji > eu_ij > 0:
                offers.append(("confrontation", j, x[j], eu_ij, eu_ji))
            elif eu_ji > 0 > eu_ij and eu_ji > abs(eu_ij):
                offers.append(
                    ("compromise", j, x[i] + (x[j] - x[i]) * abs(eu_ij / eu_ji), eu_ij, eu_ji)
                )
            elif eu_ji > 0 > eu_ij and pair:
                offers.append(("capitulation", j, x[j], eu_ij, eu_ji))
        best = None
        if pair:
            for offer in offers:
                if best is None or abs(offer[2] - x[i]) < abs(best[2] - x[i]):
                    best = offer
        else:
            confrontations = [o for o in offers if o[0] == "confrontation"]
            compromises = [o for o in offers if o[0] == "compromise"]
            for o in confrontations:
                if best is None or abs(o[2] - x[i]) < abs(best[2] - x[i]):
                    best = o
            if best is None:
                best_key = None
                for o in compromises:
                    key = (abs(o[3]) * x[i] + abs(o[4]) * x[o[1]]) / (abs(o[3]) + abs(o[4]))
                    if best_key is None or key < best_key:
                        best, best_key = o, key
        if best is not None:
            kinds[i], froms[i], new_x[i] = best[0], best[1], best[2]
    return ReferenceRound(tuple(r), tuple(kinds), tuple(froms), tuple(new_x))
