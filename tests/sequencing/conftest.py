"""A plain-Python checker of sequencing schedules, written from the game, not from the LP rows.

For party i and round t it compares two payoffs, counted from the start of round t:

* keep going: Σ_{s>=t} β^(s−t)·(value received in s − cost paid in s) + β^(T−t)·G;
* stop in round t (withhold this round's shares): the other side's round-t shares still arrive;
  with probability q (the other side's detection) the shortfall is noticed, nothing more comes and
  the reversible part of everything received so far is taken back; with probability 1 − q it is
  not noticed and everything goes on as planned, minus this round's cost.

A schedule is self-enforcing when keeping going is never worse than stopping.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest


def check_schedule(problem, shares, tol: float = 1e-7) -> list[str]:
    """Every broken rule of ``shares`` (steps × rounds) as a readable line; [] when it is valid."""
    problems: list[str] = []
    steps = list(problem.step_ids)
    rounds = len(shares[0])
    for k, sid in enumerate(steps):
        row = [float(x) for x in shares[k]]
        if any(x < -tol for x in row):
            problems.append(f"{sid}: negative share")
        if abs(sum(row) - 1.0) > tol:
            problems.append(f"{sid}: shares add up to {sum(row)}")
        if not problem.divisible[k] and any(tol < x < 1 - tol for x in row):
            problems.append(f"{sid}: indivisible step split {row}")
    for before, after in problem.order:
        for t in range(rounds):
            done_before = sum(float(x) for x in shares[before][:t])
            if float(shares[after][t]) > tol and done_before < 1 - tol:
                problems.append(f"{steps[after]} moves in round {t + 1} before {steps[before]}")
    for i in (0, 1):
        beta = float(problem.patience[i]) * float(problem.trust[i])
        noticed = float(problem.detection[1 - i])
        prize = float(problem.completion[i])

        def received(s: int, i: int = i) -> float:
            return sum(
                float(problem.value[k]) * float(shares[k][s])
                for k in range(len(steps))
                if int(problem.owner[k]) != i
            )

        def paid(s: int, i: int = i) -> float:
            return sum(
                float(problem.cost[k]) * float(shares[k][s])
                for k in range(len(steps))
                if int(problem.owner[k]) == i
            )

        for t in range(rounds):
            later = sum(beta ** (s - t) * (received(s) - paid(s)) for s in range(t + 1, rounds))
            end = beta ** (rounds - 1 - t) * prize
            keep_going = received(t) - paid(t) + later + end
            taken_back = float(problem.given_snapback[i]) + sum(
                float(problem.reversible[k]) * float(problem.value[k]) * sum(shares[k][: t + 1])
                for k in range(len(steps))
                if int(problem.owner[k]) != i
            )
            stop = noticed * (received(t) - taken_back) + (1 - noticed) * (
                received(t) + later + end
            )
            if keep_going < stop - tol:
                problems.append(
                    f"{problem.party_ids[i]} gains {stop - keep_going:.3g} by stopping in "
                    f"round {t + 1}"
                )
    return problems


@pytest.fixture
def schedule_checker() -> Callable[..., list[str]]:
    return check_schedule
