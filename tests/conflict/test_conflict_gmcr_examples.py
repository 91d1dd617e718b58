"""Per-state, per-decision-maker validation against the GMCR+ example conflicts.

The reference is the example library of GMCR+'s predecessor gmcr-py (Petersons & Kinsara, the
Conflict Analysis Group of Hipel, Waterloo; repository onp/gmcr-py, files ``Examples/Cuban.gmcr``,
``Examples/Elmira.gmcr``, ``Examples/Garrison.gmcr``), run through its own ``LogicalSolver``
(commit 502a12c). The models below are those files translated option by option into Accord's
``conflict:`` format; the expected stable states per decision maker are that solver's output,
pasted here, not Accord's.

The published papers' tables could not be had here (Fang, Hipel & Kilgour 1993, *Interactive
Decision Making*, for Elmira and the Cuban missile crisis; Hipel & Fang's Garrison Diversion Unit
studies), so no number below is asserted from a paper's table. What the papers' text says about
the outcomes is in ``test_conflict_published.py``.

Names: gmcr-py's "SIM" (simultaneous sanctioning by the opponents' unilateral *improvements*,
Fang, Hipel & Kilgour 1993) is Accord's ``seqsim`` key, reported under the name SIM; Accord's
``sim`` key, where opponents may answer with any unilateral move, is Accord's own variant
"SIM-any" and has no gmcr-py counterpart.

One cell differs by design (Garrison, Canadian Opposition, state 6, GMR and SMR): gmcr-py lets
each opponent move at most once in a sanction, while Accord follows the standard definition of
sanctions by legal sequences, in which a decision maker may move again once another has moved
in between (Fang, Hipel & Kilgour 1993, §3.2; Inohara & Hipel 2008, Def. 5).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import cases_conflict as cases

from accord.conflict import analyse, model_from_section
from accord.conflict.reference import is_stable
from accord.scenario.conflict import ConflictSection

# The same model as the published-case test, without its status quo.
CUBAN = {k: v for k, v in cases.CUBAN.items() if k != "status_quo"}

ELMIRA = {
    "decision_makers": [
        {"id": "moe", "options": ["modify"]},
        {"id": "uniroyal", "options": ["delay", "accept", "abandon"]},
        {"id": "local-government", "options": ["insist"]},
    ],
    "infeasible": [
        {"delay": True, "accept": True},
        {"delay": True, "abandon": True},
        {"accept": True, "abandon": True},
        {"delay": False, "accept": False, "abandon": False},
    ],
    "irreversible": {"modify": "forward", "delay": "backward", "abandon": "forward"},
    "preferences": {
        "moe": {"ranking": [9, 3, 4, 10, 7, 1, 2, 8, (11, 5, 6, 12)]},
        "uniroyal": {"ranking": [1, 4, 10, 7, (5, 11, 6, 12), 2, 3, 9, 8]},
        "local-government": {"ranking": [9, 3, 7, 1, 10, 8, 4, 2, (11, 5, 12, 6)]},
    },
}

GARRISON = {
    "decision_makers": [
        {"id": "us-support", "options": ["full-1", "reduced-1", "appease"]},
        {"id": "us-opposition", "options": ["legal-challenge"]},
        {"id": "canadian-opposition", "options": ["treaty-challenge"]},
        {"id": "ijc", "options": ["full", "reduced", "lonetree", "suspend"]},
    ],
    "infeasible": [
        {"full-1": True, "reduced-1": True},
        {"full-1": True, "appease": True},
        {"reduced-1": True, "appease": True},
        {"full": True, "reduced": True},
        {"full": True, "lonetree": True},
        {"full": True, "suspend": True},
        {"reduced": True, "lonetree": True},
        {"reduced": True, "suspend": True},
        {"lonetree": True, "suspend": True},
        {"full-1": False, "reduced-1": False, "appease": False},
        {"full": False, "reduced": False, "lonetree": False, "suspend": False},
        {"full-1": True, "legal-challenge": False},
        {"appease": True, "legal-challenge": True},
        {"full-1": True, "treaty-challenge": False, "full": False},
        {"reduced-1": True, "treaty-challenge": False, "lonetree": True},
        {"reduced-1": True, "treaty-challenge": False, "suspend": True},
        {"appease": True, "treaty-challenge": False, "lonetree": True},
        {"appease": True, "treaty-challenge": False, "suspend": True},
    ],
    "irreversible": {},
    "preferences": {
        "us-support": {
            "ranking": [
                3,
                7,
                (1, 2),
                4,
                (5, 6),
                8,
                9,
                12,
                11,
                15,
                10,
                13,
                14,
                17,
                16,
                18,
                19,
                21,
                20,
                22,
                23,
            ]
        },
        "us-opposition": {
            "ranking": [
                (21, 17, 13, 10, 6, 2),
                (23, 19),
                15,
                11,
                8,
                4,
                22,
                18,
                14,
                7,
                3,
                20,
                16,
                12,
                9,
                5,
                1,
            ]
        },
        "canadian-opposition": {
            "ranking": [
                23,
                (20, 21),
                19,
                (16, 17),
                11,
                (9, 10),
                15,
                (12, 13),
                2,
                4,
                1,
                8,
                (5, 6),
                22,
                18,
                14,
                3,
                7,
            ]
        },
        "ijc": {
            "ranking": [
                (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23)
            ]
        },
    },
}

EXPECTED = {
    "cuban": {
        "nash": {"us": [2, 3, 5, 6, 12], "ussr": [1, 6, 7, 8]},
        "gmr": {"us": [1, 2, 3, 4, 5, 6, 7, 8, 12], "ussr": [1, 2, 3, 5, 6, 7, 8]},
        "smr": {"us": [1, 2, 3, 4, 5, 6, 7, 8, 12], "ussr": [1, 2, 3, 5, 6, 7, 8]},
        "seq": {"us": [2, 3, 5, 6, 7, 12], "ussr": [1, 5, 6, 7, 8]},
        "sim": {"us": [2, 3, 5, 6, 12], "ussr": [1, 6, 7, 8]},
    },
    "elmira": {
        "nash": {
            "moe": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "uniroyal": [1, 4, 5, 6, 7, 10, 11, 12],
            "local-government": [5, 6, 7, 8, 9, 10, 11, 12],
        },
        "gmr": {
            "moe": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "uniroyal": [1, 4, 5, 6, 7, 10, 11, 12],
            "local-government": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        },
        "smr": {
            "moe": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "uniroyal": [1, 4, 5, 6, 7, 10, 11, 12],
            "local-government": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        },
        "seq": {
            "moe": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "uniroyal": [1, 4, 5, 6, 7, 10, 11, 12],
            "local-government": [2, 3, 5, 6, 7, 8, 9, 10, 11, 12],
        },
        "sim": {
            "moe": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "uniroyal": [1, 4, 5, 6, 7, 10, 11, 12],
            "local-government": [2, 3, 5, 6, 7, 8, 9, 10, 11, 12],
        },
    },
    "garrison": {
        "nash": {
            "us-support": [1, 2, 3, 5, 6, 7, 9, 11, 12, 15, 17, 18, 21, 22],
            "us-opposition": [2, 3, 4, 6, 7, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23],
            "canadian-opposition": [1, 2, 3, 4, 9, 10, 11, 14, 16, 17, 18, 19, 20, 21, 22, 23],
            "ijc": [
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
        },
        "gmr": {
            "us-support": [
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                21,
                22,
            ],
            "us-opposition": [2, 3, 4, 6, 7, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23],
            "canadian-opposition": [
                1,
                2,
                3,
                4,
                5,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
            "ijc": [
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
        },
        "smr": {
            "us-support": [
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                21,
                22,
            ],
            "us-opposition": [2, 3, 4, 6, 7, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23],
            "canadian-opposition": [
                1,
                2,
                3,
                4,
                5,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
            "ijc": [
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
        },
        "seq": {
            "us-support": [1, 2, 3, 5, 6, 7, 9, 11, 12, 15, 17, 18, 21, 22],
            "us-opposition": [2, 3, 4, 6, 7, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23],
            "canadian-opposition": [
                1,
                2,
                3,
                4,
                5,
                8,
                9,
                10,
                11,
                14,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
            "ijc": [
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
        },
        "sim": {
            "us-support": [1, 2, 3, 5, 6, 7, 9, 11, 12, 15, 17, 18, 21, 22],
            "us-opposition": [2, 3, 4, 6, 7, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23],
            "canadian-opposition": [1, 2, 3, 4, 8, 9, 10, 11, 14, 16, 17, 18, 19, 20, 21, 22, 23],
            "ijc": [
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
            ],
        },
    },
}
MODELS = {"cuban": CUBAN, "elmira": ELMIRA, "garrison": GARRISON}
BY_DESIGN = {
    ("garrison", "gmr", "canadian-opposition", 6),
    ("garrison", "smr", "canadian-opposition", 6),
}
ACCORD_KEY = {"nash": "nash", "gmr": "gmr", "smr": "smr", "seq": "seq", "sim": "seqsim"}


@pytest.mark.parametrize("case", sorted(MODELS))
@pytest.mark.parametrize("concept", ["nash", "gmr", "smr", "seq", "sim"])
def test_every_state_and_decision_maker_agrees(case: str, concept: str) -> None:
    model = model_from_section(ConflictSection.model_validate(MODELS[case]))
    result = analyse(model)
    for dm, expected in EXPECTED[case][concept].items():
        ours = set(result.stable_states(dm, ACCORD_KEY[concept]))
        for state in range(1, model.n_states + 1):
            if (case, concept, dm, state) in BY_DESIGN:
                continue
            assert (state in ours) == (state in expected), (case, concept, dm, state)


def test_the_one_difference_follows_legal_sequences() -> None:
    # Canadian Opposition's improvement from state 6 is sanctioned only by a sequence in which an
    # opponent moves twice (with another in between): stable for Accord and its scalar reference
    # (standard legal sequences), unstable for gmcr-py (each opponent once).
    model = model_from_section(ConflictSection.model_validate(GARRISON))
    d = model.dm_index("canadian-opposition")
    for concept in ("gmr", "smr"):
        assert 6 in analyse(model).stable_states("canadian-opposition", concept)
        assert is_stable(model, d, 5, concept)
        assert 6 not in EXPECTED["garrison"][concept]["canadian-opposition"]


def test_cuban_equilibria_with_the_restored_statement() -> None:
    # With the USSR's eighth statement the only Nash equilibrium is state 6 (YNYN: air strike
    # and Soviet withdrawal), as in gmcr-py; state 2 (YNNN) is no longer one, and the USSR's
    # ranking has no ties.
    model = model_from_section(ConflictSection.model_validate(CUBAN))
    result = analyse(model)
    assert result.equilibria["nash"] == [6]
    assert result.equilibria["seq"] == [5, 6, 7]
    assert result.equilibria["seqsim"] == [6]
    assert 2 not in result.equilibria["nash"]
    assert len(set(model.payoff[1].tolist())) == model.n_states  # USSR: a strict order now


def test_cuban_states_by_option() -> None:
    model = model_from_section(ConflictSection.model_validate(CUBAN))
    assert [model.yn(s) for s in range(model.n_states)][:8] == [
        "NNNN",
        "YNNN",
        "NYNN",
        "YYNN",
        "NNYN",
        "YNYN",
        "NYYN",
        "YYYN",
    ]


@pytest.mark.parametrize("case", sorted(MODELS))
def test_models_have_the_files_state_count(case: str) -> None:
    sizes = {"cuban": 12, "elmira": 12, "garrison": 23}
    model = model_from_section(ConflictSection.model_validate(MODELS[case]))
    assert model.n_states == sizes[case]
    assert np.all(np.diff(model.codes) > 0)
