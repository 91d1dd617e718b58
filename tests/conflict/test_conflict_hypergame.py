"""First-level hypergames (Wang, Hipel & Fraser 1988, Behavioral Science 33:207-219).

Closed forms: with correct perceptions the hypergame is the ordinary analysis; a 2 × 2 game with
one misperception is solved by hand below.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_conflict_gmcr_examples import CUBAN, ELMIRA, GARRISON

from accord.conflict import analyse, model_from_section
from accord.conflict.hypergame import analyse_hypergame
from accord.conflict.model import ConflictModel, perceptions_from_section
from accord.errors import EngineInputError
from accord.scenario.conflict import ConflictSection

# Prisoner's dilemma: states 1..4 = (a, b) = (C, C), (D, C), (C, D), (D, D).
TRUE_A = [3, 4, 1, 2]
TRUE_B = [3, 1, 4, 2]
# a believes b is an unconditional cooperator: b prefers every state where b cooperates.
BELIEVED_B = [4, 3, 2, 1]


def _pd() -> ConflictModel:
    return ConflictModel.build(
        dm_ids=("a", "b"), option_ids=("a-defects", "b-defects"), option_owner=(0, 1),
        codes=np.arange(4), payoff=np.array([TRUE_A, TRUE_B]),
    )  # fmt: skip


@pytest.mark.parametrize("case", [CUBAN, ELMIRA, GARRISON])
def test_correct_perceptions_give_the_ordinary_analysis(case: dict) -> None:
    model = model_from_section(ConflictSection.model_validate(case))
    # every decision maker "perceives" every other's true preferences
    truthful = {
        (h, a): model.payoff[a].copy()
        for h in range(model.n_dms)
        for a in range(model.n_dms)
        if h != a
    }
    hyper = analyse_hypergame(model, truthful)
    plain = analyse(model)
    assert hyper.equilibria == plain.equilibria
    for c in plain.stable:
        np.testing.assert_array_equal(hyper.stable[c], plain.stable[c])
    assert hyper.misperceptions == () and hyper.drivers == ()


def test_two_by_two_solved_by_hand() -> None:
    # True game (b's view, G_b): SEQ equilibria {1, 4}; at 1, a's defection to 2 is answered by
    # b's improvement 2 -> 4 (b: 1 -> 2), which leaves a at 2 < 3.
    #
    # a's game G_a, b's payoff (4, 3, 2, 1):
    #   a (true payoff 3, 4, 1, 2): improvements 1 -> 2 and 3 -> 4. From 2, b's move to 4 gives
    #     b 3 -> 1, not an improvement, so nothing sanctions 1 -> 2: 1 is SEQ-unstable for a.
    #     From 4, b improves to 2 (1 -> 3), where a has 4 > 1: 3 -> 4 is not sanctioned either.
    #     a is stable (Nash and SEQ) at 2 and 4.
    #   b' : improvements 3 -> 1 and 4 -> 2; a's improvement from 1 (to 2) leaves b' at 3 > 2
    #     and a has no improvement from 2: both unsanctioned. b' is stable at 1 and 2.
    #   Equilibria of G_a (Nash and SEQ): {2}: a expects to defect on a cooperating b.
    # Hypergame: a's stability from G_a, b's from the true game.
    #   SEQ: a stable at {2, 4}; b stable (true) at {1, 3, 4}: no improvement at 3 or 4; at 1,
    #   b's move to 3 is sanctioned by a's 3 -> 4 (b: 2 < 3); at 2, b's move to 4 is not (a has
    #   no improvement from 4) => joint SEQ equilibria {4}.
    #   Nash: a stable at {2, 4}, b at {3, 4} (true b: 1 -> 3 and 2 -> 4 improve) => {4}.
    model = _pd()
    hyper = analyse_hypergame(model, {(0, 1): np.array(BELIEVED_B)})
    assert hyper.perceived_equilibria("a", "nash") == [2]
    assert hyper.perceived_equilibria("a", "seq") == [2]
    assert hyper.perceived_equilibria("b", "seq") == [1, 4]
    assert (np.flatnonzero(hyper.stable["seq"][0]) + 1).tolist() == [2, 4]
    assert (np.flatnonzero(hyper.stable["seq"][1]) + 1).tolist() == [1, 3, 4]
    assert hyper.equilibria["seq"] == [4]
    assert hyper.equilibria["nash"] == [4]
    assert hyper.ordinary.equilibria["seq"] == [1, 4]
    (driver,) = hyper.drivers
    assert (driver.holder, driver.about) == ("a", "b")
    assert driver.lost["seq"] == [1] and driver.gained["seq"] == []


def test_nash_never_depends_on_perceptions() -> None:
    # Nash stability uses only the decision maker's own preferences, so no misperception can
    # change the hypergame's Nash equilibria (a direct consequence of the definition).
    model = model_from_section(ConflictSection.model_validate(CUBAN))
    rng = np.random.default_rng(3)
    perceived = {(0, 1): rng.permutation(model.n_states), (1, 0): rng.permutation(model.n_states)}
    hyper = analyse_hypergame(model, perceived)
    assert hyper.equilibria["nash"] == analyse(model).equilibria["nash"]


def test_perceptions_block_is_read_from_the_section() -> None:
    section = ConflictSection.model_validate(
        {**CUBAN, "perceptions": [
            {"holder": "ussr", "about": "us", "prioritization": ["-air-strike", "withdraw"]}
        ]}
    )  # fmt: skip
    per = perceptions_from_section(section)
    assert list(per) == [(1, 0)]
    assert per[(1, 0)].shape == (12,)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"holder": "ussr", "about": "ussr", "prioritization": ["withdraw"]}, "both"),
        ({"holder": "cuba", "about": "us", "prioritization": ["withdraw"]}, "unknown decision"),
        ({"holder": "ussr", "about": "us", "prioritization": ["nuke"]}, "unknown option"),
        ({"holder": "ussr", "about": "us", "ranking": [1, 2]}, "missing"),
    ],
)
def test_bad_perceptions_are_refused(entry: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ConflictSection.model_validate({**CUBAN, "perceptions": [entry]})


def test_engine_refuses_a_self_perception() -> None:
    with pytest.raises(EngineInputError):
        analyse_hypergame(_pd(), {(0, 0): np.array(TRUE_A)})


def test_hanoi_perception_ranks_relief_for_yongbyon_above_yongbyon_alone() -> None:
    # The DPRK's perceived US prioritisation (hanoi-2019.yaml, evidence: "believing that his
    # time in the negotiating room would be brief before benefits would abound") puts
    # "partial-relief <-> dismantle-yongbyon" above "full-declaration": as the DPRK sees it, the
    # US prefers relief for Yongbyon (state 5) to Yongbyon without relief (state 4); the true US
    # preferences put 4 above 5 (relief only against Yongbyon and a full declaration).
    from accord.io.scenario_file import load_scenario

    section = load_scenario("hanoi-2019").conflict
    assert section is not None and section.perceptions
    model = model_from_section(section)
    believed = perceptions_from_section(section)[(1, 0)]
    assert model.yn(3) == "NNYNN" and model.yn(4) == "YNYNN"
    assert believed[4] > believed[3]
    assert model.payoff[0][3] > model.payoff[0][4]
