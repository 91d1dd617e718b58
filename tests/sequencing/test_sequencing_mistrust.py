"""Issue 15: exposure within a round, credible snapback, first-move costs and Bayesian trust.

Outside references: the issue's closed-form T* grid (Accord issue 6) under ``simultaneous``; the
sequential trust game's threshold π·(v + G) >= c (Kreps 1990, "Corporate culture and economic
theory", the trust game; Accord issue 15, item 6); backward induction for "no exposure without
trust"; and the gradualism of Admati & Perry (1991) / Watson (1999, "Starting small and
renegotiation", JET 85) for an exchange whose per-round ratio β_t·v/c stays at or below one.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.scenario.sequencing import Sequencing
from accord.sequencing import (
    SequencingProblem,
    feasible_within,
    fewest_rounds,
    find_schedule,
    problem_from_section,
    slack_fast,
    slack_reference,
)
from accord.sequencing.engine import feasible_at
from accord.sequencing.problem import mimic_likelihood

from .test_sequencing_closed_form import GRID, PRIZES, formula

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def exchange(**kw) -> SequencingProblem:
    """One step each (a owns x, b owns y); keyword arguments override the fields."""
    base = dict(
        party_ids=("a", "b"),
        step_ids=("x", "y"),
        owner=np.array([0, 1]),
        cost=np.array([1.0, 1.0]),
        value=np.array([2.0, 2.0]),
        reversible=np.zeros(2),
        divisible=np.array([True, True]),
        patience=np.ones(2),
        trust=np.array([0.9, 0.9]),
        completion=np.array([0.1, 0.1]),
        detection=np.ones(2),
        within_round="sequential",
        snapback="credible",
    )
    base.update(kw)
    return SequencingProblem(**base)  # type: ignore[arg-type]


def section(beta: float, prize: float) -> Sequencing:
    party = {"patience": 1.0, "trust": beta, "completion_value": prize}
    return Sequencing.model_validate(
        {
            "max_rounds": 12,
            "within_round": "simultaneous",
            "parties": {"a": party, "b": party},
            "steps": [
                {"id": "x", "owner": "a", "cost": 1.0, "value": 2.0},
                {"id": "y", "owner": "b", "cost": 1.0, "value": 2.0},
            ],
        }
    )


@pytest.mark.parametrize("beta", sorted(GRID))
def test_closed_form_grid_holds_under_simultaneous_with_the_new_defaults(beta: float) -> None:
    # from a scenario section: credible snapback and fixed trust are the defaults, nothing is
    # reversible and there is no first-move cost, so the issue-6 closed form must hold exactly
    for prize, expected in zip(PRIZES, GRID[beta], strict=True):
        problem, _ = problem_from_section(section(beta, prize))
        assert problem.snapback == "credible" and problem.within_round == "simultaneous"
        assert fewest_rounds(problem) == expected == formula(beta, prize), (beta, prize)


@pytest.mark.parametrize(
    ("cost", "value", "prize"), [(1.0, 3.0, 1.0), (1.0, 2.0, 1.5), (0.5, 1.0, 0.8), (2.0, 5.0, 3.0)]
)
def test_sequential_trust_game_threshold(cost: float, value: float, prize: float) -> None:
    """One indivisible step each, first mover exposed: a schedule exists iff π·(v+G) >= c."""
    edge = cost / (value + prize)
    assert prize >= cost
    if (cost, value, prize) == (1.0, 3.0, 1.0):
        assert edge == 0.25  # the example
    for trust, expect in ((edge * 0.98, False), (edge, True), (edge * 1.02, True), (1.0, True)):
        problem = exchange(
            cost=np.array([cost, cost]),
            value=np.array([value, value]),
            completion=np.array([prize, prize]),
            trust=np.array([trust, trust]),
            divisible=np.array([False, False]),
            max_rounds=4,
        )
        assert feasible_within(problem) is expect, (trust, edge)


@st.composite
def random_exchange(draw, *, trust: float | None = None, reversible: bool = False):
    n_steps = draw(st.integers(2, 4))
    owner = [0, 1] + [draw(st.integers(0, 1)) for _ in range(n_steps - 2)]
    rev = [draw(st.floats(0.0, 1.0)) if reversible else 0.0 for _ in range(n_steps)]
    return SequencingProblem(
        party_ids=("a", "b"),
        step_ids=tuple(f"s{k}" for k in range(n_steps)),
        owner=np.array(owner),
        cost=np.array([draw(st.floats(0.01, 1.0)) for _ in range(n_steps)]),
        value=np.array([draw(st.floats(0.0, 3.0)) for _ in range(n_steps)]),
        reversible=np.array(rev),
        divisible=np.array([draw(st.booleans()) for _ in range(n_steps)]),
        patience=np.array([draw(st.floats(0.5, 1.0)) for _ in range(2)]),
        trust=np.array(
            [trust if trust is not None else draw(st.floats(0.0, 1.0)) for _ in range(2)]
        ),
        completion=np.array([draw(st.floats(0.0, 3.0)) for _ in range(2)]),
        detection=np.array([draw(st.floats(0.5, 1.0)) for _ in range(2)]),
        within_round="sequential",
        snapback="credible",
        first_mover=draw(st.sampled_from(["auto", "alternate", "a", "b"])),
        reversal_prob=np.array([draw(st.floats(0.0, 1.0)) for _ in range(n_steps)]),
        reversal_cost=np.array([draw(st.floats(0.0, 0.3)) for _ in range(n_steps)]),
        first_move_cost=np.array([draw(st.floats(0.0, 0.3)) for _ in range(2)]),
        max_rounds=draw(st.integers(1, 5)),
    )


@FAST
@given(random_exchange(trust=0.0))
def test_no_exposure_without_trust(problem) -> None:
    """Trust 0, nothing reversible, every cost > 0: whoever gives first is never repaid."""
    for rounds in range(1, problem.max_rounds + 1):
        assert not feasible_at(problem, rounds)
    assert not find_schedule(problem).feasible


@FAST
@given(random_exchange(reversible=True), st.integers(0, 1), st.floats(0.0, 1.0))
def test_more_trust_never_breaks_a_schedule_when_snapback_is_discounted(
    problem, party, extra
) -> None:
    if not feasible_within(problem):
        return
    more = min(1.0, float(problem.trust[party]) + extra)
    assert feasible_within(problem.with_party_value(party, "trust", more))


@settings(max_examples=60, deadline=None)
@given(
    random_exchange(reversible=True),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["fixed", "bayesian"]),
    st.sampled_from(["sequential", "simultaneous"]),
)
def test_vectorised_slack_matches_the_move_by_move_reference(
    problem, rounds, seed, trust_model, within
) -> None:
    from dataclasses import replace

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    problem = replace(
        problem,
        trust_model=trust_model,
        within_round=within,
        mimic_scale=rng.uniform(0.05, 2.0, 2),
        given_snapback=rng.uniform(0.0, 0.3, 2),
    )
    shares = rng.dirichlet(np.ones(rounds), size=problem.n_steps)
    pattern = rng.integers(0, 2, rounds)
    mimic = mimic_likelihood(problem, shares, pattern)
    np.testing.assert_allclose(
        slack_fast(problem, shares, pattern, mimic),
        slack_reference(problem, shares, pattern, mimic),
        rtol=1e-10,
        atol=1e-12,
    )


@pytest.mark.parametrize(
    ("prior", "theta", "prize"),
    [(0.5, 0.5, 0.6), (0.3, 0.3, 0.9), (0.6, 1.0, 0.5), (0.8, 0.2, 0.3)],
)
def test_gradualism_with_bayesian_trust(prior: float, theta: float, prize: float) -> None:
    """Symmetric exchange (v = c), Bayesian trust: shares rise round by round as trust grows."""
    problem = exchange(
        value=np.array([1.0, 1.0]),
        trust=np.array([prior, prior]),
        completion=np.array([prize, prize]),
        within_round="simultaneous",
        trust_model="bayesian",
        mimic_scale=np.array([theta, theta]),
        max_rounds=12,
    )
    result = find_schedule(problem)
    assert result.feasible and result.shares is not None and result.trust is not None
    assert result.rounds is not None and result.rounds >= 2
    assert np.all(np.diff(result.shares, axis=1) >= -1e-7), result.shares
    assert np.all(np.diff(result.trust, axis=1) > 0)  # trust grows with every completed move
    # and the schedule is self-enforcing under the trust path it itself produces
    own = mimic_likelihood(problem, result.shares, None)
    assert slack_fast(problem, result.shares, None, own).min() >= -1e-6


def test_bayesian_update_is_bayes_rule() -> None:
    from accord.sequencing.problem import trust_path

    problem = exchange(trust_model="bayesian", trust=np.array([0.4, 0.4]), mimic_scale=np.ones(2))
    shares = np.array([[0.5, 0.5], [0.25, 0.75]])
    mimic = mimic_likelihood(problem, shares, np.array([0, 1]))
    path = trust_path(problem, 2, mimic)
    # party a watches b: b's round-1 move costs 0.25 (+ nothing), round 2 0.75 + first-move 0
    like1, like2 = math.exp(-0.25), math.exp(-0.75)
    mu1 = 0.4 / (0.4 + 0.6 * like1)
    mu2 = mu1 / (mu1 + (1 - mu1) * like2)
    np.testing.assert_allclose(path[0], [0.4, mu1, mu2])


def test_free_snapback_keeps_the_old_result_credible_snapback_removes_it() -> None:
    # half reversible, no prize: one round suffices with free snapback (c <= r·v = 1), but not
    # when the threat is believed only with trust 0.5 and the reversal succeeds with probability
    # 0.5: one round then needs c <= π·p·r·v = 0.25
    free = SequencingProblem.symmetric(
        beta=0.5, cost=1.0, value=2.0, completion=0.0, reversible=0.5, max_rounds=8
    )
    assert fewest_rounds(free) == 1
    from dataclasses import replace

    credible = replace(free, snapback="credible", reversal_prob=np.array([0.5, 0.5]))
    rounds = fewest_rounds(credible)
    assert rounds is None or rounds > 1
    # a reversal that costs more than it recovers (r·c = 0.5 < 0.6) is not believed at all
    costly = replace(free, snapback="credible", reversal_cost=np.array([0.6, 0.6]))
    np.testing.assert_allclose(costly.snapback_weight, 0.0)


def test_first_move_cost_alone_can_block() -> None:
    ok = exchange(
        value=np.array([3.0, 3.0]),
        completion=np.array([1.0, 1.0]),
        trust=np.array([0.5, 0.5]),
        divisible=np.array([False, False]),
        max_rounds=3,
    )
    assert feasible_within(ok)  # 0.5·(3 + 1) = 2 >= 1
    # the opener pays F on top of c: blocked once c + F > π·(v + G) for both possible openers
    blocked = replace_face(ok, 1.2)
    assert not feasible_within(blocked)
    assert feasible_within(replace_face(ok, 0.9))


def replace_face(problem: SequencingProblem, face: float) -> SequencingProblem:
    from dataclasses import replace

    return replace(problem, first_move_cost=np.array([face, face]))
