"""Both readings of coalition analysis, against outside references.

*The coalition as one decision maker* is checked state by state against gmcr-py (the GMCR+
predecessor of Hipel's group, repository onp/gmcr-py, commit 502a12c), whose solver re-solves
the conflict with the coalition as one decision maker; its output for the example files is
pasted below. *Coalition-stable individual equilibria* is checked against the published Elmira
narrative in ``test_conflict_published.py`` (Kilgour, Hipel, Fang & Peng 2001).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from test_conflict_gmcr_examples import CUBAN, ELMIRA

from accord.conflict import analyse, model_from_section
from accord.conflict.coalition import coalition_as_decision_maker
from accord.conflict.model import ConflictModel
from accord.scenario.conflict import ConflictSection

# gmcr-py, Examples/Elmira.gmcr with coalitions [[MoE, Uniroyal], Local Government]
MU, LG = "moe+uniroyal", "local-government"
MU_STABLE = [1, 3, 4, 5, 6, 9, 10, 11, 12]
ELMIRA_JOINT = {
    "nash": {MU: MU_STABLE, LG: [5, 6, 7, 8, 9, 10, 11, 12]},
    "seq": {MU: MU_STABLE, LG: [1, 5, 6, 7, 8, 9, 10, 11, 12]},
    "sim": {MU: MU_STABLE, LG: [5, 6, 7, 8, 9, 10, 11, 12]},
    "gmr": {MU: MU_STABLE, LG: list(range(1, 13))},
    "smr": {MU: MU_STABLE, LG: list(range(1, 13))},
}
# gmcr-py, Examples/Cuban.gmcr with the grand coalition [US, USSR]
CUBAN_GRAND = [1, 5, 6]


def test_elmira_coalition_as_one_decision_maker_matches_gmcr() -> None:
    model = model_from_section(ConflictSection.model_validate(ELMIRA))
    joint = coalition_as_decision_maker(model, ("moe", "uniroyal"))
    assert joint.effective == ("moe+uniroyal", "local-government")
    for concept, table in ELMIRA_JOINT.items():
        assert joint.stable[concept] == table, concept
    assert joint.equilibria["nash"] == [5, 6, 9, 10, 11, 12]


def test_cuban_grand_coalition_matches_gmcr() -> None:
    model = model_from_section(ConflictSection.model_validate(CUBAN))
    joint = coalition_as_decision_maker(model, ("us", "ussr"))
    for concept in ("nash", "gmr", "smr", "seq", "sim"):
        assert joint.equilibria[concept] == CUBAN_GRAND, concept


def test_grand_coalition_equilibria_are_the_pareto_undominated_joint_moves() -> None:
    # Closed form: with everyone in the coalition nobody can sanction, so a state is stable iff
    # no jointly reachable state is strictly better for both. Prisoner's dilemma payoffs
    # (3, 4, 1, 2) / (3, 1, 4, 2): mutual defection (4: 2, 2) is beaten by mutual cooperation
    # (1: 3, 3); from 1, 2 (4, 1) and 3 (1, 4) every joint move hurts someone.
    pd = ConflictModel.build(
        dm_ids=("a", "b"), option_ids=("a-defect", "b-defect"), option_owner=(0, 1),
        codes=np.arange(4), payoff=np.array([[3, 4, 1, 2], [3, 1, 4, 2]]),
    )  # fmt: skip
    joint = coalition_as_decision_maker(pd, ("a", "b"))
    assert joint.equilibria["nash"] == [1, 2, 3]


def test_reading_one_keeps_only_individual_equilibria() -> None:
    # Reading 1 filters the individual equilibria (Kilgour et al. 2001): on Elmira it drops
    # state 5 of the 9-state model's numbering, which MoE and Uniroyal leave together (see
    # test_conflict_published.py); here, on the 12-state file, it must stay within Nash.
    model = model_from_section(ConflictSection.model_validate(ELMIRA))
    individual = analyse(model, coalition=("moe", "uniroyal"))
    assert individual.coalition is not None
    assert set(individual.coalition.equilibria["nash"]) <= set(individual.equilibria["nash"])
